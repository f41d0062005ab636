package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// errorCode decodes the error_code of an error body, 0 when absent.
func errorCode(t *testing.T, body []byte) int {
	t.Helper()
	var e struct {
		Code int `json:"error_code"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("decode error body %s: %v", body, err)
	}
	return e.Code
}

// TestConfluentEightAnswers pins the answers that Confluent 8 gives and
// older registries did not: HEAD on GET routes, PUT /config {}, a check
// against a subject without versions, fetchMaxId and the mode echo.
func TestConfluentEightAnswers(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)
		s.mustDo(t, request{Method: "POST", Path: "/subjects/other-value/versions", Body: schemaBody(t, "", `"string"`)}, 200)

		heads := []struct {
			path   string
			status int
		}{
			{"/subjects", 200},
			{"/schemas/ids/1", 200},
			{"/schemas/ids/99", 404},
			{"/subjects/orders-value/versions/latest", 200},
			{"/subjects/missing-value/versions", 404},
			{"/config", 200},
			{"/mode", 200},
		}
		for _, h := range heads {
			get := s.do(t, request{Method: "GET", Path: h.path})
			head := s.do(t, request{Method: "HEAD", Path: h.path})
			if head.Status != h.status || get.Status != h.status || len(head.Body) != 0 {
				t.Errorf("HEAD %s: %d with %d body bytes (GET %d), want %d and no body", h.path, head.Status, len(head.Body), get.Status, h.status)
			}
			if h.status == 200 && head.Header.Get("Content-Length") != get.Header.Get("Content-Length") {
				t.Errorf("HEAD %s: Content-Length %q, GET %q", h.path, head.Header.Get("Content-Length"), get.Header.Get("Content-Length"))
			}
		}
		s.mustDo(t, request{Method: "HEAD", Path: "/compatibility/subjects/x/versions"}, 405)

		// PUT /config with nothing to change answers the config in force.
		s.mustDo(t, request{Method: "PUT", Path: "/config/orders-value", Body: `{"compatibility":"FULL"}`}, 200)
		for path, want := range map[string]string{"/config": "BACKWARD", "/config/orders-value": "FULL", "/config/unset-value": "BACKWARD"} {
			resp := s.mustDo(t, request{Method: "PUT", Path: path, Body: `{}`}, 200)
			var got struct{ Compatibility string }
			if err := json.Unmarshal(resp.Body, &got); err != nil || got.Compatibility != want {
				t.Errorf("PUT %s {}: %s, want compatibility %s", path, resp.Body, want)
			}
		}
		s.mustDo(t, request{Method: "GET", Path: "/config/unset-value"}, 404)

		// CI asks before the first registration: a subject without
		// versions accepts anything, "latest" included.
		for _, path := range []string{"/compatibility/subjects/new-value/versions", "/compatibility/subjects/new-value/versions/latest"} {
			resp := s.mustDo(t, request{Method: "POST", Path: path, Body: schemaBody(t, "", avroOrderV1)}, 200)
			if string(resp.Body) != `{"is_compatible":true}` {
				t.Errorf("POST %s: %s", path, resp.Body)
			}
		}
		resp := s.do(t, request{Method: "POST", Path: "/compatibility/subjects/new-value/versions/3", Body: schemaBody(t, "", avroOrderV1)})
		if resp.Status != 404 || errorCode(t, resp.Body) != 40401 {
			t.Errorf("check against version 3 of a subject without versions: %d %s, want 40401", resp.Status, resp.Body)
		}

		// fetchMaxId adds the highest id assigned; without it no maxId.
		resp = s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1?fetchMaxId=true"}, 200)
		var byID struct {
			SchemaType string `json:"schemaType"`
			MaxID      *int   `json:"maxId"`
		}
		if err := json.Unmarshal(resp.Body, &byID); err != nil || byID.MaxID == nil || *byID.MaxID != 2 || byID.SchemaType != "AVRO" {
			t.Errorf("fetchMaxId: %s, want maxId 2", resp.Body)
		}
		if resp := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1"}, 200); json.Valid(resp.Body) && string(resp.Body) != `{"schemaType":"AVRO","schema":"`+jsonEscape(t, avroOrderV1)+`"}` {
			t.Errorf("GET /schemas/ids/1: %s", resp.Body)
		}

		// PUT /mode echoes the request as it came.
		resp = s.mustDo(t, request{Method: "PUT", Path: "/mode/other-value", Body: `{"mode":"readonly"}`}, 200)
		if string(resp.Body) != `{"mode":"readonly"}` {
			t.Errorf("PUT /mode: %s", resp.Body)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/mode/other-value"}, 200)
		if string(resp.Body) != `{"mode":"READONLY"}` {
			t.Errorf("GET /mode after PUT: %s", resp.Body)
		}
	})
}

// jsonEscape returns s as the inside of a JSON string.
func jsonEscape(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}

// TestModeRulesOverHTTP walks Confluent's mode rules: what READONLY,
// READONLY_OVERRIDE and IMPORT refuse (42205), and what stays allowed.
func TestModeRulesOverHTTP(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		v1 := schemaBody(t, "", avroOrderV1)
		s.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: v1}, 200)
		steps := []struct {
			method, path, body string
			status, code       int
		}{
			{"PUT", "/mode", `{"mode":"READONLY"}`, 200, 0},
			// Read-only: even an idempotent registration, and config writes.
			{"POST", "/subjects/orders-value/versions", v1, 422, 42205},
			{"PUT", "/config/orders-value", `{"compatibility":"NONE"}`, 422, 42205},
			{"PUT", "/config", `{"compatibility":"NONE"}`, 422, 42205},
			{"DELETE", "/subjects/orders-value", "", 422, 42205},
			{"GET", "/subjects/orders-value/versions/1", "", 200, 0},
			{"POST", "/subjects/orders-value", v1, 200, 0},
			// A subject's own mode wins over a global READONLY...
			{"PUT", "/mode/orders-value", `{"mode":"READWRITE"}`, 200, 0},
			{"POST", "/subjects/orders-value/versions", v1, 200, 0},
			// ... but not over a global READONLY_OVERRIDE.
			{"PUT", "/mode", `{"mode":"READONLY_OVERRIDE"}`, 200, 0},
			{"GET", "/mode/orders-value?defaultToGlobal=true", "", 200, 0},
			{"POST", "/subjects/orders-value/versions", v1, 422, 42205},
			{"DELETE", "/config/orders-value", "", 422, 42205},
			// Mode writes stay allowed.
			{"DELETE", "/mode/orders-value", "", 200, 0},
			{"PUT", "/mode", `{"mode":"READWRITE"}`, 200, 0},
			// IMPORT takes only registrations with an id; READWRITE none.
			{"POST", "/subjects/orders-value/versions", `{"schema":"\"string\"","id":40}`, 422, 42205},
			{"PUT", "/mode/imported-value", `{"mode":"IMPORT"}`, 200, 0},
			{"POST", "/subjects/imported-value/versions", `{"schema":"\"string\""}`, 422, 42205},
			{"POST", "/subjects/imported-value/versions", `{"schema":"\"string\"","id":40}`, 200, 0},
			{"POST", "/subjects/imported-value/versions", `{"schema":"\"int\"","id":40}`, 422, 42205},
		}
		for _, st := range steps {
			resp := s.do(t, request{Method: st.method, Path: st.path, Body: st.body})
			if resp.Status != st.status || (st.code != 0 && errorCode(t, resp.Body) != st.code) {
				t.Fatalf("%s %s %s: %d %s, want %d (%d)", st.method, st.path, st.body, resp.Status, resp.Body, st.status, st.code)
			}
		}
		// The subject stays in IMPORT once the global mode is READWRITE again.
		resp := s.mustDo(t, request{Method: "GET", Path: "/mode/imported-value?defaultToGlobal=true"}, 200)
		if string(resp.Body) != `{"mode":"IMPORT"}` {
			t.Errorf("mode in force: %s", resp.Body)
		}
	})
}

// TestListingPages pages every listing with Confluent's offset and limit:
// no limit (absent, 0 or -1) is everything, an offset past the end is an
// empty page, and a bad value is a 400.
func TestListingPages(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		str := schemaBody(t, "", `"string"`)
		for _, subject := range []string{"a-value", "b-value", "c-value"} {
			s.mustDo(t, request{Method: "POST", Path: "/subjects/" + subject + "/versions", Body: str}, 200)
			s.mustDo(t, request{Method: "POST", Path: "/v1/deprecations", Body: `{"subject":"` + subject + `"}`}, 201)
			s.mustDo(t, request{Method: "POST", Path: "/v1/consumers", Body: `{"name":"reader-` + subject + `","owner":"o","reads":[{"subject":"` + subject + `","schema":"\"string\""}]}`}, 201)
		}
		s.mustDo(t, request{Method: "PUT", Path: "/config/a-value", Body: `{"compatibility":"NONE","additiveOnly":false,"consumerBreakage":"warn"}`}, 200)
		for _, text := range []string{`"int"`, `"long"`} {
			s.mustDo(t, request{Method: "POST", Path: "/subjects/a-value/versions", Body: schemaBody(t, "", text)}, 200)
		}
		tests := []struct {
			path string
			want string // the JSON answer, or the listed names for /v1
		}{
			{"/subjects?offset=1&limit=1", `["b-value"]`},
			{"/subjects?offset=1", `["b-value","c-value"]`},
			{"/subjects?limit=-1", `["a-value","b-value","c-value"]`},
			{"/subjects?offset=9", `[]`},
			{"/subjects/a-value/versions?offset=1&limit=1", `[2]`},
			{"/subjects/a-value/versions?limit=0", `[1,2,3]`},
			{"/schemas/ids/1/subjects?offset=1&limit=5", `["b-value","c-value"]`},
			{"/schemas/ids/1/versions?limit=2", `[{"subject":"a-value","version":1},{"subject":"b-value","version":1}]`},
			{"/schemas/ids/1/versions?offset=3", `[]`},
			{"/schemas?latestOnly=true&offset=2&limit=1", `[{"subject":"c-value","version":1,"id":1,"schemaType":"AVRO","schema":"\"string\""}]`},
			{"/v1/consumers?offset=1&limit=1", `reader-b-value`},
			{"/v1/deprecations?offset=2", `c-value`},
			{"/v1/reports/deprecations?limit=1", `a-value`},
		}
		for _, tt := range tests {
			resp := s.mustDo(t, request{Method: "GET", Path: tt.path}, 200)
			if got := listed(t, resp.Body); got != tt.want {
				t.Errorf("GET %s: %s, want %s", tt.path, got, tt.want)
			}
		}
		for _, path := range []string{
			"/subjects?offset=-1", "/subjects?limit=x", "/subjects/a-value/versions?offset=x",
			"/schemas/ids/1/versions?offset=-2", "/schemas/ids/1/subjects?limit=1.5",
			"/v1/consumers?offset=-1", "/v1/deprecations?limit=many", "/v1/reports/deprecations?offset=-3",
		} {
			if resp := s.do(t, request{Method: "GET", Path: path}); resp.Status != 400 {
				t.Errorf("GET %s: %d %s, want 400", path, resp.Status, resp.Body)
			}
		}
	})
}

// listed renders a listing for comparison: a /v1 listing (an array of
// objects with a name or subject, or a report's items) as those names,
// comma-separated; anything else as its JSON.
func listed(t *testing.T, body []byte) string {
	t.Helper()
	var report struct {
		Items []struct{ Subject string } `json:"items"`
	}
	if json.Unmarshal(body, &report) == nil && report.Items != nil {
		names := ""
		for i, it := range report.Items {
			if i > 0 {
				names += ","
			}
			names += it.Subject
		}
		return names
	}
	var objs []map[string]any
	if json.Unmarshal(body, &objs) == nil && len(objs) > 0 && (objs[0]["name"] != nil || objs[0]["scope"] != nil) {
		names := ""
		for i, o := range objs {
			if i > 0 {
				names += ","
			}
			if n, ok := o["name"].(string); ok {
				names += n
			} else {
				names += o["subject"].(string)
			}
		}
		return names
	}
	return string(body)
}

// TestAvroResolvedFormat asks for an Avro schema with a reference in
// format=resolved: the referenced type is written out where first used,
// so the text registers on its own, without references.
func TestAvroResolvedFormat(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		money := `{"type":"record","name":"Money","namespace":"shop.common","fields":[{"name":"cents","type":"long"}]}`
		order := `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":"shop.common.Money"},{"name":"tax","type":"shop.common.Money"}]}`
		s.mustDo(t, request{Method: "POST", Path: "/subjects/money-value/versions", Body: schemaBody(t, "", money)}, 200)
		s.mustDo(t, request{Method: "POST", Path: "/subjects/order-value/versions", Body: schemaBody(t, "", order,
			map[string]any{"name": "shop.common.Money", "subject": "money-value", "version": 1})}, 200)
		want := `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":{"type":"record","name":"Money","namespace":"shop.common","fields":[{"name":"cents","type":"long"}]}},{"name":"tax","type":"shop.common.Money"}]}`
		for _, path := range []string{"/schemas/ids/2?format=resolved", "/subjects/order-value/versions/1?format=resolved"} {
			resp := s.mustDo(t, request{Method: "GET", Path: path}, 200)
			var got struct {
				Schema     string
				References []any
			}
			if err := json.Unmarshal(resp.Body, &got); err != nil || got.Schema != want || len(got.References) != 1 {
				t.Errorf("GET %s: %s, want the schema %s (references kept)", path, resp.Body, want)
			}
		}
		// Self-contained: it registers with no references at all.
		s.mustDo(t, request{Method: "POST", Path: "/subjects/standalone-value/versions", Body: schemaBody(t, "", want)}, 200)
		// Without references, resolved is the text as stored.
		resp := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1/schema?format=resolved"}, 200)
		if string(resp.Body) != money {
			t.Errorf("resolved without references: %s", resp.Body)
		}
	})
}

// TestImportReplay re-runs an IMPORT with an explicit id and version, as a
// repeated migration does: the same schema at the same version answers 200
// with the existing id and stores nothing new; the same schema under
// another id is 42207 and a different schema at a version already taken
// 42205, both leaving the version as it was.
func TestImportReplay(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "PUT", Path: "/mode/imp-value", Body: `{"mode":"IMPORT"}`}, 200)
		steps := []struct {
			body   string
			status int
			want   string // the answer's id, or its error code
		}{
			{`{"schema":"\"string\"","id":50,"version":3}`, 200, "50"},
			{`{"schema":"\"string\"","id":50,"version":3}`, 200, "50"},
			{`{"schema":"\"int\"","id":51,"version":3}`, 422, "42205"},
			{`{"schema":"\"string\"","id":52,"version":3}`, 422, "42207"},
			{`{"schema":"\"long\"","id":53,"version":4}`, 200, "53"},
			{`{"schema":"\"string\"","id":50,"version":3}`, 200, "50"},
		}
		for _, st := range steps {
			resp := s.do(t, request{Method: "POST", Path: "/subjects/imp-value/versions", Body: st.body})
			var got struct {
				ID        int `json:"id"`
				ErrorCode int `json:"error_code"`
			}
			if err := json.Unmarshal(resp.Body, &got); err != nil {
				t.Fatalf("%s: %v", resp.Body, err)
			}
			if resp.Status != st.status || fmt.Sprint(max(got.ID, got.ErrorCode)) != st.want {
				t.Fatalf("POST %s: %d %s, want %d %s", st.body, resp.Status, resp.Body, st.status, st.want)
			}
		}
		if resp := s.mustDo(t, request{Method: "GET", Path: "/subjects/imp-value/versions"}, 200); string(resp.Body) != "[3,4]" {
			t.Errorf("versions after the replays: %s, want [3,4]", resp.Body)
		}
		resp := s.mustDo(t, request{Method: "GET", Path: "/subjects/imp-value/versions/3"}, 200)
		if !strings.Contains(string(resp.Body), `"id":50`) {
			t.Errorf("version 3 after the replays: %s", resp.Body)
		}
	})
}

// TestPageCaps bounds the pages of GET /schemas (as Confluent's
// schema.search.default.limit and max.limit do) and of the /v1 listings:
// without a limit, or with a larger one, a page holds the cap; the
// Confluent listings without such a setting stay whole.
func TestPageCaps(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{SchemaSearchLimit: 2, ListLimit: 2})
		for _, subject := range []string{"a-value", "b-value", "c-value"} {
			s.mustDo(t, request{Method: "POST", Path: "/subjects/" + subject + "/versions", Body: schemaBody(t, "", `"string"`)}, 200)
			s.mustDo(t, request{Method: "POST", Path: "/v1/deprecations", Body: `{"subject":"` + subject + `"}`}, 201)
			s.mustDo(t, request{Method: "POST", Path: "/v1/consumers", Body: `{"name":"reader-` + subject + `","owner":"o","reads":[{"subject":"` + subject + `","schema":"\"string\""}]}`}, 201)
		}
		tests := []struct {
			path string
			want int
		}{
			{"/schemas", 2},
			{"/schemas?limit=50", 2},
			{"/schemas?limit=-1", 2},
			{"/schemas?offset=2", 1},
			{"/subjects", 3},
			{"/subjects/a-value/versions", 1},
			{"/v1/consumers", 2},
			{"/v1/consumers?limit=0", 2},
			{"/v1/consumers?offset=2&limit=9", 1},
			{"/v1/deprecations", 2},
			{"/v1/deprecations?offset=1", 2},
			{"/v1/reports/deprecations", 2},
			{"/v1/reports/deprecations?offset=2", 1},
		}
		for _, tt := range tests {
			body := s.mustDo(t, request{Method: "GET", Path: tt.path}, 200).Body
			var report struct{ Items []json.RawMessage }
			var items []json.RawMessage
			if err := json.Unmarshal(body, &items); err != nil {
				if err := json.Unmarshal(body, &report); err != nil {
					t.Fatalf("GET %s: %s", tt.path, body)
				}
				items = report.Items
			}
			if len(items) != tt.want {
				t.Errorf("GET %s: %d items (%s), want %d", tt.path, len(items), body, tt.want)
			}
		}
	})
}
