package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

// backend opens a fresh, migrated store for one test.
type backend struct {
	name string
	open func(t testing.TB) registry.Store
}

// backends lists every store the API is tested on.
func backends() []backend {
	return []backend{
		{name: "SQLite", open: openSQLite},
		{name: "PostgreSQL", open: func(t testing.TB) registry.Store { return pgtest.NewStore(t) }},
	}
}

func openSQLite(t testing.TB) registry.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// testServer is the API over a real store, served on a loopback port.
type testServer struct {
	URL    string
	client *http.Client
}

// serverOptions adjust newServer.
type serverOptions struct {
	maxBody  int64
	defaults *registry.Config
}

// newServer serves the API over a store from b on a free port.
func newServer(t testing.TB, b backend, opts serverOptions) *testServer {
	t.Helper()
	store := b.open(t)
	defaults := registry.DefaultConfig()
	if opts.defaults != nil {
		defaults = *opts.defaults
	}
	svc := registry.New(store, registry.Options{Defaults: defaults, Logger: quietLogger()})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = svc.Watch(ctx) }()
	h := api.New(svc, api.Options{Logger: quietLogger(), MaxBodyBytes: opts.maxBody, ServerID: "test-registry"})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		cancel()
	})
	return &testServer{URL: srv.URL, client: srv.Client()}
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
