package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestHostileSubjectNamesAreClientErrors: a NUL byte or invalid UTF-8 in
// a subject can never name a stored subject (registration refuses both),
// so every route answers them with a 4xx on every store, never a 500
// from a database that cannot encode them.
func TestHostileSubjectNamesAreClientErrors(t *testing.T) {
	t.Parallel()
	subjects := map[string]string{"NUL": "a%00b", "InvalidUTF8": "a%ffb"}
	routes := []struct{ method, path, body string }{
		{http.MethodGet, "/subjects/{s}/versions", ""},
		{http.MethodGet, "/subjects/{s}/versions/1", ""},
		{http.MethodGet, "/subjects/{s}/versions/latest/schema", ""},
		{http.MethodGet, "/subjects/{s}/versions/1/referencedby", ""},
		{http.MethodPost, "/subjects/{s}", `{"schema":"\"string\""}`},
		{http.MethodPost, "/subjects/{s}/versions", `{"schema":"\"string\""}`},
		{http.MethodPost, "/compatibility/subjects/{s}/versions/latest", `{"schema":"\"string\""}`},
		{http.MethodDelete, "/subjects/{s}", ""},
		{http.MethodDelete, "/subjects/{s}/versions/1", ""},
		{http.MethodGet, "/config/{s}", ""},
		{http.MethodPut, "/config/{s}", `{"compatibility":"FULL"}`},
		{http.MethodDelete, "/config/{s}", ""},
		{http.MethodGet, "/mode/{s}", ""},
		{http.MethodPut, "/mode/{s}", `{"mode":"READONLY"}`},
		{http.MethodGet, "/v1/deprecations?subject={s}", ""},
		{http.MethodGet, "/v1/consumers?owner={s}", ""},
		{http.MethodGet, "/ui/subjects/{s}", ""},
		{http.MethodGet, "/ui/subjects/{s}/diff", ""},
	}
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		reg := servertest.Start(t, servertest.WithBackend(b))
		for name, s := range subjects {
			for _, r := range routes {
				path := strings.ReplaceAll(r.path, "{s}", s)
				req, err := http.NewRequest(r.method, reg.URL()+path, strings.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				if r.body != "" {
					req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", r.method, path, err)
				}
				resp.Body.Close()
				if resp.StatusCode < 400 || resp.StatusCode >= 500 {
					t.Errorf("%s: %s %s = %d, want a 4xx", name, r.method, path, resp.StatusCode)
				}
			}
		}
	})
}
