package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

func TestContentTypes(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		tests := []struct {
			name        string
			contentType string
			want        int
		}{
			{"SchemaRegistryV1", "application/vnd.schemaregistry.v1+json", 200},
			{"SchemaRegistry", "application/vnd.schemaregistry+json", 200},
			{"PlainJSON", "application/json", 200},
			{"JSONWithCharset", "application/json; charset=utf-8", 200},
			{"OctetStream", "application/octet-stream", 200},
			{"Missing", "none", 415},
			{"Text", "text/plain", 415},
			{"Form", "application/x-www-form-urlencoded", 415},
		}
		for _, tt := range tests {
			resp := s.do(t, request{
				Method: "POST", Path: "/subjects/ct-value/versions",
				Body: schemaBody(t, "", avroOrderV1), ContentType: tt.contentType,
			})
			if resp.Status != tt.want {
				t.Errorf("%s: status %d, want %d; body %s", tt.name, resp.Status, tt.want, resp.Body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != api.ContentType {
				t.Errorf("%s: answered Content-Type %q, want %q", tt.name, ct, api.ContentType)
			}
			if tt.want == 415 {
				assertErrorBody(t, resp.Body, 415, "HTTP 415 Unsupported Media Type")
			}
		}
	})
}

// assertErrorBody checks that body is exactly Confluent's error object.
func assertErrorBody(t *testing.T, body []byte, code int, message string) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("error body %s is not JSON: %v", body, err)
	}
	if len(got) != 2 || got["error_code"] != float64(code) || (message != "" && got["message"] != message) {
		t.Errorf("error body %s, want {\"error_code\":%d,\"message\":%q}", body, code, message)
	}
}

func TestRequestBodyLimit(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{MaxBodyBytes: 256})
		big := schemaBody(t, "", `{"type":"record","name":"Big","doc":"`+strings.Repeat("x", 512)+`","fields":[]}`)

		// Announced by Content-Length.
		resp := s.do(t, request{Method: "POST", Path: "/subjects/big-value/versions", Body: big})
		if resp.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413; body %s", resp.Status, resp.Body)
		}
		assertErrorBody(t, resp.Body, 413, "Request body is larger than the limit of 256 bytes")

		// Streamed without a length.
		req, err := http.NewRequest("POST", s.URL+"/subjects/big-value/versions", io.MultiReader(strings.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1
		req.Header.Set("Content-Type", api.ContentType)
		r, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked: status %d, want 413; body %s", r.StatusCode, body)
		}
		assertErrorBody(t, body, 413, "")

		// A small body still passes.
		s.mustDo(t, request{Method: "POST", Path: "/subjects/small-value/versions", Body: schemaBody(t, "", `"string"`)}, 200)
	})
}

func TestLookupCaching(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "POST", Path: "/subjects/c-value/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)

		byID := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1"}, 200)
		etag := byID.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
			t.Fatalf("ETag %q is not a strong validator", etag)
		}
		if cc := byID.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("by-id Cache-Control %q, want immutable", cc)
		}

		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			resp := s.do(t, request{Method: "GET", Path: "/schemas/ids/1", Header: map[string]string{"If-None-Match": inm}})
			if resp.Status != http.StatusNotModified || len(resp.Body) != 0 {
				t.Errorf("If-None-Match %s: status %d body %q, want 304 without body", inm, resp.Status, resp.Body)
			}
			if resp.Header.Get("ETag") != etag {
				t.Errorf("304 ETag %q, want %q", resp.Header.Get("ETag"), etag)
			}
		}
		stale := s.do(t, request{Method: "GET", Path: "/schemas/ids/1", Header: map[string]string{"If-None-Match": `"stale"`}})
		if stale.Status != 200 || string(stale.Body) != string(byID.Body) {
			t.Errorf("stale validator: status %d body %s", stale.Status, stale.Body)
		}

		text := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1/schema"}, 200)
		if text.Header.Get("ETag") == etag || text.Header.Get("ETag") == "" {
			t.Errorf("text ETag %q must differ from the JSON body's %q", text.Header.Get("ETag"), etag)
		}

		latest := s.mustDo(t, request{Method: "GET", Path: "/subjects/c-value/versions/latest"}, 200)
		latestTag := latest.Header.Get("ETag")
		if cc := latest.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("latest Cache-Control %q, want no-cache", cc)
		}
		s.mustDo(t, request{Method: "GET", Path: "/subjects/c-value/versions/latest", Header: map[string]string{"If-None-Match": latestTag}}, 304)
		one := s.mustDo(t, request{Method: "GET", Path: "/subjects/c-value/versions/1"}, 200)
		if one.Header.Get("ETag") != latestTag {
			t.Errorf("version 1 and latest (the same version) have ETags %q and %q", one.Header.Get("ETag"), latestTag)
		}

		// A new version changes what "latest" is, and its validator.
		s.mustDo(t, request{Method: "POST", Path: "/subjects/c-value/versions", Body: schemaBody(t, "", avroOrderV2)}, 200)
		next := s.mustDo(t, request{Method: "GET", Path: "/subjects/c-value/versions/latest", Header: map[string]string{"If-None-Match": latestTag}}, 200)
		if next.Header.Get("ETag") == latestTag {
			t.Errorf("latest kept ETag %q after a new version", latestTag)
		}
	})
}

func TestPermanentDeleteMakesIDUnreachable(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "POST", Path: "/subjects/gone-value/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)
		s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1"}, 200)
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/gone-value"}, 200)
		s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1"}, 200) // soft-deleted versions keep the id reachable
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/gone-value?permanent=true"}, 200)
		// The service learns of the delete through its store watcher.
		waitFor(t, "id 1 to become unreachable", func() bool {
			return s.do(t, request{Method: "GET", Path: "/schemas/ids/1"}).Status == http.StatusNotFound
		})
		resp := s.do(t, request{Method: "GET", Path: "/schemas/ids/1"})
		assertErrorBody(t, resp.Body, 40403, "Schema 1 not found")
	})
}

func TestSubjectNamesAreEscapedAndUnescaped(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		for _, tt := range []struct{ path, subject string }{
			{"a%2Fb", "a/b"},
			{"with%20space", "with space"},
			{"colon:dot.under_score", "colon:dot.under_score"},
		} {
			s.mustDo(t, request{Method: "POST", Path: "/subjects/" + tt.path + "/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)
			resp := s.mustDo(t, request{Method: "GET", Path: "/subjects/" + tt.path + "/versions/latest"}, 200)
			var got struct{ Subject string }
			if err := json.Unmarshal(resp.Body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Subject != tt.subject {
				t.Errorf("path %s: subject %q, want %q", tt.path, got.Subject, tt.subject)
			}
		}
		resp := s.mustDo(t, request{Method: "GET", Path: "/subjects"}, 200)
		if want := `["a/b","colon:dot.under_score","with space"]`; string(resp.Body) != want {
			t.Errorf("subjects %s, want %s", resp.Body, want)
		}
	})
}
