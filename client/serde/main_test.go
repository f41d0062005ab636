package serde_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/schemata-dev/schemata/client/serde"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// startRegistry starts a real registry for the test and returns its URL.
func startRegistry(tb testing.TB) string {
	tb.Helper()
	return servertest.Start(tb).URL()
}

// newRegistry is a serde.Registry of the registry at url, configured by
// opts; the test fails if it cannot be made.
func newRegistry(tb testing.TB, url string, opts ...serde.Option) *serde.Registry {
	tb.Helper()
	reg, err := serde.NewRegistry(url, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// counting is an http.RoundTripper that counts requests by method and
// path, to see how many requests reach the registry.
type counting struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[r.Method+" "+r.URL.Path]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (c *counting) get(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[route]
}

func (c *counting) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

// call sends one JSON request to the registry, for what the package does
// not do itself (creating deprecations), and decodes the answer into out.
func call(tb testing.TB, method, url string, body, out any) {
	tb.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", srapi.ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		tb.Fatalf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, url, err, got)
		}
	}
}

// register registers an Avro schema text under subject and returns its id.
func register(tb testing.TB, url, subject, schema string) int {
	tb.Helper()
	var out srapi.RegisterResponse
	call(tb, http.MethodPost, url+"/subjects/"+subject+"/versions", srapi.RegisterRequest{Schema: schema}, &out)
	return out.ID
}

// avroRecord returns an Avro record schema named name with n long fields.
func avroRecord(name string, n int) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"type":"record","name":%q,"namespace":"shop","fields":[`, name)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"f%d","type":"long"}`, i)
	}
	b.WriteString("]}")
	return b.String()
}
