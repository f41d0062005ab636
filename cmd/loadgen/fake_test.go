package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/schemata-dev/schemata/srapi"
)

// fakeRegistry answers the few routes loadgen uses the way the registry
// does: PUT /config/{s}, POST /subjects/{s}/versions (the same schema
// always gets the same id) and GET /schemas/ids/{id}. It counts requests
// by method and path.
type fakeRegistry struct {
	mu     sync.Mutex
	ids    map[string]int // schema text -> id
	hits   map[string]int // "METHOD path" -> count
	levels map[string]string
	// failPath, when set, is answered 500.
	failPath string
}

func newFakeRegistry(t *testing.T) (*fakeRegistry, string) {
	f := &fakeRegistry{ids: map[string]int{}, hits: map[string]int{}, levels: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeRegistry) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

func (f *fakeRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits[r.Method+" "+r.URL.Path]++
	w.Header().Set("Content-Type", srapi.ContentType)
	switch {
	case r.URL.Path == f.failPath:
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error_code":50001,"message":"boom"}`)
	case r.Method == http.MethodPut && (r.URL.Path == "/config" || strings.HasPrefix(r.URL.Path, "/config/")):
		var body srapi.ConfigUpdate
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.AdditiveOnly == nil || *body.AdditiveOnly {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		f.levels[strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/config"), "/")] = body.Compatibility
		fmt.Fprintf(w, `{"compatibility":%q}`, body.Compatibility)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/versions"):
		var body srapi.RegisterRequest
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.Schema == "" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		id, ok := f.ids[body.Schema]
		if !ok {
			id = len(f.ids) + 1
			f.ids[body.Schema] = id
		}
		fmt.Fprintf(w, `{"id":%d}`, id)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/schemas/ids/"):
		w.Header().Set("Etag", `"fixed"`)
		fmt.Fprint(w, `{"schema":"\"string\""}`)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}
