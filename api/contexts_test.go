package api_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// decodeAs decodes a response body into a T.
func decodeAs[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// TestContextsIDsPerContext registers into two contexts and the default
// one over HTTP: each context counts ids from 1, the same text gets an id
// per context, ?subject= picks the context of an id lookup, /contexts
// lists them, and /subjects lists every context unless given a prefix
// (an empty one is the default context), as Confluent's does.
func TestContextsIDsPerContext(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)

		register := func(subject, text string) int {
			resp := s.mustDo(t, request{Method: "POST", Path: "/subjects/" + url.PathEscape(subject) + "/versions", Body: schemaBody(t, "", text)}, 200)
			return decodeAs[struct{ ID int }](t, resp.Body).ID
		}
		ids := map[string]int{
			"orders-value":          register("orders-value", `"string"`),
			":.team-a:orders-value": register(":.team-a:orders-value", avroOrderV1),
			":.team-b:orders-value": register(":.team-b:orders-value", `"string"`),
		}
		for subject, id := range ids {
			if id != 1 {
				t.Errorf("first schema of %s got id %d, want 1", subject, id)
			}
		}
		if id := register(":.team-a:payments-value", `"string"`); id != 2 {
			t.Errorf("same text in .team-a got id %d, want its own id 2", id)
		}
		// :.: is the default context.
		if id := register(":.:orders-value", `"string"`); id != 1 {
			t.Errorf(":.:orders-value registered as id %d, want the default context's 1", id)
		}

		for _, tc := range []struct {
			query, want string
		}{
			{"", `"string"`},
			{"?subject=orders-value", `"string"`},
			{"?subject=" + url.QueryEscape(":.team-a:orders-value"), avroOrderV1},
			{"?subject=" + url.QueryEscape(":.team-a:"), avroOrderV1},
			{"?subject=" + url.QueryEscape(":.:x"), `"string"`},
		} {
			resp := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1" + tc.query}, 200)
			if got := decodeAs[struct{ Schema string }](t, resp.Body).Schema; got != tc.want {
				t.Errorf("GET /schemas/ids/1%s = %s, want %s", tc.query, got, tc.want)
			}
		}
		resp := s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/2?subject=" + url.QueryEscape(":.team-a:x") + "&fetchMaxId=true"}, 200)
		if got := decodeAs[struct{ MaxID int }](t, resp.Body).MaxID; got != 2 {
			t.Errorf("maxId in .team-a = %d, want 2", got)
		}
		s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/2"}, 404)
		s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1?subject=" + url.QueryEscape(":.nothing:x")}, 404)

		resp = s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1/subjects?subject=" + url.QueryEscape(":.team-b:y")}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{":.team-b:orders-value"}; !reflect.DeepEqual(got, want) {
			t.Errorf("subjects of .team-b id 1 = %v, want %v", got, want)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/schemas/ids/1/versions"}, 200)
		if got := decodeAs[[]struct{ Subject string }](t, resp.Body); len(got) != 1 || got[0].Subject != "orders-value" {
			t.Errorf("versions of default id 1 = %+v, want orders-value only", got)
		}

		resp = s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{".", ".team-a", ".team-b"}; !reflect.DeepEqual(got, want) {
			t.Errorf("GET /contexts = %v, want %v", got, want)
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"", []string{":.team-a:orders-value", ":.team-a:payments-value", ":.team-b:orders-value", "orders-value"}},
			{"?subjectPrefix=", []string{"orders-value"}},
			{"?subjectPrefix=" + url.QueryEscape(":*:"), []string{":.team-a:orders-value", ":.team-a:payments-value", ":.team-b:orders-value", "orders-value"}},
			{"?subjectPrefix=" + url.QueryEscape(":.team-a:"), []string{":.team-a:orders-value", ":.team-a:payments-value"}},
			{"?subjectPrefix=" + url.QueryEscape(":.:"), []string{"orders-value"}},
		} {
			resp := s.mustDo(t, request{Method: "GET", Path: "/subjects" + tc.query}, 200)
			if got := decodeAs[[]string](t, resp.Body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("GET /subjects%s = %v, want %v", tc.query, got, tc.want)
			}
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/subjects/" + url.PathEscape(":.team-a:orders-value") + "/versions/1"}, 200)
		if got := decodeAs[struct{ ID int }](t, resp.Body).ID; got != 1 {
			t.Errorf("version 1 of :.team-a:orders-value has id %d, want 1", got)
		}
	})
}

// TestContextsRefuseBadNames pins that a malformed context is 42208 and
// stores nothing.
func TestContextsRefuseBadNames(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		for _, subject := range []string{
			":.bad ctx:orders", ":.bad$:orders", ":nodot:orders", ":.ctx", ":.a:", ":.a::b", ":.ctx/x:orders",
		} {
			resp := s.do(t, request{Method: "POST", Path: "/subjects/" + url.PathEscape(subject) + "/versions", Body: schemaBody(t, "", `"string"`)})
			if resp.Status != 422 || errorCode(t, resp.Body) != 42208 {
				t.Errorf("register under %q: %d %s, want 422 with 42208", subject, resp.Status, resp.Body)
			}
		}
		resp := s.do(t, request{Method: "GET", Path: "/schemas/ids/1?subject=" + url.QueryEscape(":.bad ctx:x")})
		if resp.Status != 422 || errorCode(t, resp.Body) != 42208 {
			t.Errorf("id lookup in a bad context: %d %s, want 422 with 42208", resp.Status, resp.Body)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/subjects?subjectPrefix=" + url.QueryEscape(":*:")}, 200)
		if got := decodeAs[[]string](t, resp.Body); len(got) != 0 {
			t.Errorf("subjects after refused registrations = %v, want none", got)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)
		if got := decodeAs[[]string](t, resp.Body); !reflect.DeepEqual(got, []string{"."}) {
			t.Errorf("contexts after refused registrations = %v, want [.]", got)
		}
	})
}

// TestContextsConfluentClient registers and fetches in a context with
// Confluent's Go client: its id lookups name the subject, so they land
// in the subject's context.
func TestContextsConfluentClient(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		cl := confluentClient(t, s.URL)
		defID, err := cl.Register("orders-value", schemaregistry.SchemaInfo{Schema: `"string"`}, false)
		if err != nil {
			t.Fatal(err)
		}
		const subject = ":.staging:orders-value"
		id, err := cl.Register(subject, schemaregistry.SchemaInfo{Schema: avroOrderV1}, false)
		if err != nil {
			t.Fatal(err)
		}
		if id != 1 || defID != 1 {
			t.Errorf("ids = %d in .staging and %d in the default context, want 1 and 1", id, defID)
		}
		got, err := cl.GetBySubjectAndID(subject, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Schema != avroOrderV1 {
			t.Errorf("GetBySubjectAndID(%s, %d) = %s, want %s", subject, id, got.Schema, avroOrderV1)
		}
		meta, err := cl.GetLatestSchemaMetadata(subject)
		if err != nil {
			t.Fatal(err)
		}
		if meta.ID != 1 || meta.Version != 1 {
			t.Errorf("latest of %s = id %d version %d, want 1 and 1", subject, meta.ID, meta.Version)
		}
		subjects, err := cl.GetAllSubjects()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(subjects, []string{subject, "orders-value"}) {
			t.Errorf("GetAllSubjects = %v, want every context's", subjects)
		}
	})
}

// TestContextsConfigAndMode pins context-level config and mode: set on
// ":.ctx:", they apply to the context's subjects between a subject's own
// and the global ones, and leave other contexts alone.
func TestContextsConfigAndMode(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		path := func(subject string) string { return "/subjects/" + url.PathEscape(subject) + "/versions" }
		for _, subject := range []string{"orders-value", ":.lax:orders-value", ":.strict:orders-value"} {
			s.mustDo(t, request{Method: "POST", Path: path(subject), Body: schemaBody(t, "", avroOrderV1)}, 200)
		}
		s.mustDo(t, request{Method: "PUT", Path: "/config/" + url.PathEscape(":.lax:"), Body: `{"compatibility":"NONE","additiveOnly":false}`}, 200)
		resp := s.mustDo(t, request{Method: "GET", Path: "/config/" + url.PathEscape(":.lax:")}, 200)
		if got := decodeAs[struct{ CompatibilityLevel string }](t, resp.Body).CompatibilityLevel; got != "NONE" {
			t.Errorf("GET /config/:.lax: = %s, want NONE", got)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/config/" + url.PathEscape(":.lax:orders-value") + "?defaultToGlobal=true"}, 200)
		if got := decodeAs[struct{ CompatibilityLevel string }](t, resp.Body).CompatibilityLevel; got != "NONE" {
			t.Errorf("effective config of :.lax:orders-value = %s, want the context's NONE", got)
		}
		// The context's NONE lets an incompatible change in; the default
		// context and the other context keep the global BACKWARD.
		s.mustDo(t, request{Method: "POST", Path: path(":.lax:orders-value"), Body: schemaBody(t, "", avroOrderBroken)}, 200)
		s.mustDo(t, request{Method: "POST", Path: path(":.strict:orders-value"), Body: schemaBody(t, "", avroOrderBroken)}, 409)
		s.mustDo(t, request{Method: "POST", Path: path("orders-value"), Body: schemaBody(t, "", avroOrderBroken)}, 409)
		// A subject's own config wins over its context's.
		s.mustDo(t, request{Method: "PUT", Path: "/config/" + url.PathEscape(":.lax:pinned-value"), Body: `{"compatibility":"FULL"}`}, 200)
		resp = s.mustDo(t, request{Method: "GET", Path: "/config/" + url.PathEscape(":.lax:pinned-value") + "?defaultToGlobal=true"}, 200)
		if got := decodeAs[struct{ CompatibilityLevel string }](t, resp.Body).CompatibilityLevel; got != "FULL" {
			t.Errorf("effective config of :.lax:pinned-value = %s, want its own FULL", got)
		}

		s.mustDo(t, request{Method: "PUT", Path: "/mode/" + url.PathEscape(":.strict:"), Body: `{"mode":"READONLY"}`}, 200)
		resp = s.do(t, request{Method: "POST", Path: path(":.strict:payments-value"), Body: schemaBody(t, "", `"string"`)})
		if resp.Status != 422 || errorCode(t, resp.Body) != 42205 {
			t.Errorf("register in a READONLY context: %d %s, want 42205", resp.Status, resp.Body)
		}
		s.mustDo(t, request{Method: "POST", Path: path(":.lax:payments-value"), Body: schemaBody(t, "", `"string"`)}, 200)
		s.mustDo(t, request{Method: "POST", Path: path("payments-value"), Body: schemaBody(t, "", `"string"`)}, 200)
		resp = s.mustDo(t, request{Method: "GET", Path: "/mode/" + url.PathEscape(":.strict:payments-value") + "?defaultToGlobal=true"}, 200)
		if got := decodeAs[struct{ Mode string }](t, resp.Body).Mode; got != "READONLY" {
			t.Errorf("effective mode of :.strict:payments-value = %s, want READONLY", got)
		}
		s.mustDo(t, request{Method: "DELETE", Path: "/mode/" + url.PathEscape(":.strict:")}, 200)
		s.mustDo(t, request{Method: "POST", Path: path(":.strict:payments-value"), Body: schemaBody(t, "", `"string"`)}, 200)
		// A malformed context is 42208 here too.
		resp = s.do(t, request{Method: "PUT", Path: "/config/" + url.PathEscape(":.bad ctx:"), Body: `{"compatibility":"NONE"}`})
		if resp.Status != 422 || errorCode(t, resp.Body) != 42208 {
			t.Errorf("PUT /config/:.bad ctx: = %d %s, want 42208", resp.Status, resp.Body)
		}
	})
}

// TestContextsURLPrefix pins the base context path: a route under
// /contexts/{context}/ acts in that context, so a client pointed at it
// works in the context without qualifying any subject.
func TestContextsURLPrefix(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)

		cl := confluentClient(t, s.URL+"/contexts/.prod")
		id, err := cl.Register("orders-value", schemaregistry.SchemaInfo{Schema: `"string"`}, false)
		if err != nil {
			t.Fatal(err)
		}
		if id != 1 {
			t.Errorf("first schema registered through /contexts/.prod got id %d, want 1", id)
		}
		got, err := cl.GetBySubjectAndID("orders-value", id)
		if err != nil || got.Schema != `"string"` {
			t.Errorf("GetBySubjectAndID through the prefix = %+v, %v; want the .prod schema", got, err)
		}

		for _, tc := range []struct{ path, want string }{
			{"/contexts/.prod/schemas/ids/1", `"string"`},
			{"/schemas/ids/1?subject=" + url.QueryEscape(":.prod:orders-value"), `"string"`},
			{"/schemas/ids/1", avroOrderV1},
			{"/contexts/./schemas/ids/1", avroOrderV1},
			{"/subjects/" + url.PathEscape(":.prod:orders-value") + "/versions/1", `"string"`},
			{"/contexts/.prod/subjects/orders-value/versions/latest", `"string"`},
		} {
			resp := s.mustDo(t, request{Method: "GET", Path: tc.path}, 200)
			if got := decodeAs[struct{ Schema string }](t, resp.Body).Schema; got != tc.want {
				t.Errorf("GET %s = %s, want %s", tc.path, got, tc.want)
			}
		}
		resp := s.mustDo(t, request{Method: "GET", Path: "/contexts/.prod/subjects"}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{":.prod:orders-value"}; !reflect.DeepEqual(got, want) {
			t.Errorf("GET /contexts/.prod/subjects = %v, want %v", got, want)
		}
		// /contexts/{context}/config is the context's config.
		s.mustDo(t, request{Method: "PUT", Path: "/contexts/.prod/config", Body: `{"compatibility":"FULL"}`}, 200)
		resp = s.mustDo(t, request{Method: "GET", Path: "/config/" + url.PathEscape(":.prod:")}, 200)
		if got := decodeAs[struct{ CompatibilityLevel string }](t, resp.Body).CompatibilityLevel; got != "FULL" {
			t.Errorf("config of :.prod: after PUT /contexts/.prod/config = %s, want FULL", got)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/config"}, 200)
		if got := decodeAs[struct{ CompatibilityLevel string }](t, resp.Body).CompatibilityLevel; got != "BACKWARD" {
			t.Errorf("global config = %s, want BACKWARD untouched", got)
		}
		resp = s.do(t, request{Method: "GET", Path: "/contexts/.bad%20ctx/subjects"})
		if resp.Status != 422 || errorCode(t, resp.Body) != 42208 {
			t.Errorf("GET under an invalid context: %d %s, want 42208", resp.Status, resp.Body)
		}
		resp = s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{".", ".prod"}; !reflect.DeepEqual(got, want) {
			t.Errorf("GET /contexts = %v, want %v", got, want)
		}
	})
}

// TestContextsDelete pins DELETE /contexts/{context}: refused while a
// subject, even soft-deleted, remains (42205), for the default context
// (42205), for an unknown context (40401) and a malformed name (42208);
// once emptied the context is gone from /contexts with its config and mode,
// and a new schema there starts again at id 1.
func TestContextsDelete(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		subject := "/subjects/" + url.PathEscape(":.staging:orders-value")
		s.mustDo(t, request{Method: "POST", Path: "/subjects/" + url.PathEscape(":.staging:other-value") + "/versions", Body: schemaBody(t, "", `"string"`)}, 200)
		s.mustDo(t, request{Method: "POST", Path: subject + "/versions", Body: schemaBody(t, "", avroOrderV1)}, 200)
		s.mustDo(t, request{Method: "PUT", Path: "/config/" + url.PathEscape(":.staging:"), Body: `{"compatibility":"NONE"}`}, 200)

		refusals := []struct {
			name, path string
			status     int
			code       int
		}{
			{"a context with live subjects", "/contexts/.staging", 422, 42205},
			{"the default context", "/contexts/.", 422, 42205},
			{"the default context, escaped", "/contexts/%2E", 422, 42205},
			{"an unknown context", "/contexts/.nowhere", 404, 40401},
			{"a name without a dot", "/contexts/staging", 422, 42208},
			{"a name with a bad character", "/contexts/" + url.PathEscape(".bad ctx"), 422, 42208},
			{"a name too long", "/contexts/." + strings.Repeat("a", 256), 422, 42208},
		}
		for _, tc := range refusals {
			wantError(t, s.do(t, request{Method: "DELETE", Path: tc.path}), tc.status, tc.code)
		}
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/" + url.PathEscape(":.staging:other-value") + "?permanent=false"}, 200)
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/" + url.PathEscape(":.staging:other-value") + "?permanent=true"}, 200)
		s.mustDo(t, request{Method: "DELETE", Path: subject}, 200)
		wantError(t, s.do(t, request{Method: "DELETE", Path: "/contexts/.staging"}), 422, 42205)

		s.mustDo(t, request{Method: "DELETE", Path: subject + "?permanent=true"}, 200)
		resp := s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{".", ".staging"}; !reflect.DeepEqual(got, want) {
			t.Errorf("contexts after the hard deletes = %v, want %v: a context stays until deleted", got, want)
		}
		// A read-only context refuses; its mode row goes with it after.
		s.mustDo(t, request{Method: "PUT", Path: "/mode/" + url.PathEscape(":.staging:"), Body: `{"mode":"READONLY"}`}, 200)
		wantError(t, s.do(t, request{Method: "DELETE", Path: "/contexts/.staging"}), 422, 42205)
		s.mustDo(t, request{Method: "PUT", Path: "/mode/" + url.PathEscape(":.staging:"), Body: `{"mode":"READWRITE"}`}, 200)
		s.mustDo(t, request{Method: "DELETE", Path: "/contexts/.staging"}, 204)
		wantError(t, s.do(t, request{Method: "GET", Path: "/mode/" + url.PathEscape(":.staging:")}), 404, 40409)
		wantError(t, s.do(t, request{Method: "DELETE", Path: "/contexts/.staging"}), 404, 40401)

		resp = s.mustDo(t, request{Method: "GET", Path: "/contexts"}, 200)
		if got, want := decodeAs[[]string](t, resp.Body), []string{"."}; !reflect.DeepEqual(got, want) {
			t.Errorf("contexts after the delete = %v, want %v", got, want)
		}
		wantError(t, s.do(t, request{Method: "GET", Path: "/schemas/ids/1?subject=" + url.QueryEscape(":.staging:x")}), 404, 40403)
		wantError(t, s.do(t, request{Method: "GET", Path: "/config/" + url.PathEscape(":.staging:")}), 404, 40408)
		resp = s.mustDo(t, request{Method: "POST", Path: subject + "/versions", Body: schemaBody(t, "", `"int"`)}, 200)
		if id := decodeAs[struct{ ID int }](t, resp.Body).ID; id != 1 {
			t.Errorf("first schema of the recreated context got id %d, want 1", id)
		}
	})
}
