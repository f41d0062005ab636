package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/twmb/franz-go/pkg/sr"
)

// testServer is a registry serving the API, on a loopback port.
type testServer struct {
	URL    string
	client *http.Client
}

// newServer starts the registry on a fresh store of b, as deployed (the
// API behind the operations layer), named test-registry; cfg adjusts the
// rest of its configuration, and opts the rest of the start.
func newServer(t testing.TB, b servertest.Backend, cfg server.Config, opts ...servertest.Option) *testServer {
	t.Helper()
	cfg.ServerID = "test-registry"
	r := servertest.Start(t, append([]servertest.Option{servertest.WithBackend(b), servertest.WithConfig(cfg)}, opts...)...)
	return &testServer{URL: r.URL(), client: http.DefaultClient}
}

// response is what a raw HTTP exchange returned.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// request describes a raw HTTP exchange.
type request struct {
	Method      string
	Path        string
	Body        string
	ContentType string // defaults to the registry's media type when Body is set
	Header      map[string]string
}

// do performs r against s and reads the whole response.
func (s *testServer) do(t testing.TB, r request) response {
	t.Helper()
	var body io.Reader
	if r.Body != "" {
		body = strings.NewReader(r.Body)
	}
	req, err := http.NewRequest(r.Method, s.URL+r.Path, body)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if r.Body != "" {
		ct := r.ContentType
		if ct == "" {
			ct = api.ContentType
		}
		if ct != "none" {
			req.Header.Set("Content-Type", ct)
		}
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// mustDo performs r and fails the test unless the status is want.
func (s *testServer) mustDo(t testing.TB, r request, want int) response {
	t.Helper()
	resp := s.do(t, r)
	if resp.Status != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Method, r.Path, resp.Status, want, resp.Body)
	}
	return resp
}

// schemaBody encodes a registration body.
func schemaBody(t *testing.T, schemaType, text string, refs ...map[string]any) string {
	t.Helper()
	m := map[string]any{"schema": text}
	if schemaType != "" {
		m["schemaType"] = schemaType
	}
	if len(refs) > 0 {
		m["references"] = refs
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The schemas the tests register.
const (
	avroOrderV1 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"}]}`
	// avroOrderV2 adds a field with a default: compatible in every
	// direction and additive.
	avroOrderV2 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}`
	// avroOrderBroken changes the type of id: incompatible.
	avroOrderBroken = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"int"}]}`

	protoCommon = `syntax = "proto3";
package shop.common;

message Money {
  string currency = 1;
  int64 units = 2;
}
`
	protoOrder = `syntax = "proto3";
package shop;

import "common.proto";

message Order {
  string id = 1;
  shop.common.Money price = 2;
}
`
)

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// confluentClient is a client of url from Confluent's Go library, closed
// when the test ends; each call makes a fresh one, with an empty cache.
func confluentClient(t testing.TB, url string) schemaregistry.Client {
	t.Helper()
	cl, err := schemaregistry.NewClient(schemaregistry.NewConfig(url))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// franzClient is a client of url from franz-go's pkg/sr.
func franzClient(t testing.TB, url string) *sr.Client {
	t.Helper()
	cl, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}
