package openapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"testing"

	"github.com/schemata-dev/schemata/api/openapi"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// startRegistry starts the real server, with authentication on so the
// admin routes are mounted too.
func startRegistry(t *testing.T) *servertest.Registry {
	t.Helper()
	return servertest.Start(t, servertest.WithAuth(nil, "anonymous: read\n"))
}

func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	t.Parallel()
	s := startRegistry(t)
	registered := map[string]bool{}
	for _, r := range s.Routes(t) {
		registered[r.Method+" "+r.Path] = true
	}
	documented := map[string]bool{}
	for _, op := range openapi.Operations() {
		key := op.Method + " " + op.Path
		if documented[key] {
			t.Errorf("%s is documented twice", key)
		}
		documented[key] = true
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s is served but not documented in openapi.Operations", k)
	}
	for _, k := range extra {
		t.Errorf("route %s is documented but not served", k)
	}
}

func TestDocumentIsServedAndConsistent(t *testing.T) {
	t.Parallel()
	s := startRegistry(t)
	res, err := http.Get(s.URL() + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json without credentials: %d (it is public)", res.StatusCode)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if doc.OpenAPI != openapi.Version {
		t.Errorf("openapi = %q, want %s", doc.OpenAPI, openapi.Version)
	}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			id, _ := op["operationId"].(string)
			if prev, dup := ids[id]; dup || id == "" {
				t.Errorf("operationId %q of %s %s is empty or also used by %s", id, method, path, prev)
			}
			ids[id] = method + " " + path
			if op["summary"] == "" || op["responses"] == nil {
				t.Errorf("%s %s lacks a summary or responses", method, path)
			}
		}
	}
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(string(body), -1) {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to undefined schema %s", m[1])
		}
	}
	if got := len(doc.Paths); got < 30 {
		t.Errorf("document has %d paths, want the whole API", got)
	}
}
