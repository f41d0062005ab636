package servertest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// Send sends method path with body and the header fields in header to
// the registry, with basic credentials when user is not empty, and
// returns the answer, its body read and closed (Do): its status and
// header stay.
func (r *Registry) Send(t testing.TB, method, path, body string, header map[string]string, user, pass string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, r.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	res, _ := Do(t, nil, req)
	return res
}

// Do sends req with client c (http.DefaultClient when nil) and returns
// the answer with its whole body, which it reads and closes. A request
// that fails, or a body that cannot be read, fails the test.
func Do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s %s: %v", req.Method, req.URL, err)
	}
	return res, b
}
