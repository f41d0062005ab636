package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// JSON Schemas of the JSON deprecation story: an order whose note moves to
// comment, with an address reached by reference.
const (
	jsonOrderV1 = `{"type":"object","properties":{` +
		`"id":{"type":"integer"},"note":{"type":"string"},"comment":{"type":"string"},"home":{"$ref":"#/$defs/Address"}},` +
		`"$defs":{"Address":{"type":"object","properties":{"zip":{"type":"string"}}}}}`
	jsonOrderWithoutNote = `{"type":"object","properties":{` +
		`"id":{"type":"integer"},"comment":{"type":"string"},"home":{"$ref":"#/$defs/Address"}},` +
		`"$defs":{"Address":{"type":"object","properties":{"zip":{"type":"string"}}}}}`
	jsonReaderWithNote    = `{"type":"object","properties":{"id":{"type":"integer"},"note":{"type":"string"}}}`
	jsonReaderWithComment = `{"type":"object","properties":{"id":{"type":"number"},"comment":{"type":"string"}}}`
)

// findingsView is the part of a verbose compatibility answer the JSON
// tests read.
type findingsView struct {
	IsCompatible bool `json:"is_compatible"`
	Findings     []struct {
		RuleID   string `json:"ruleId"`
		Path     string `json:"path"`
		Consumer string `json:"consumer"`
	} `json:"findings"`
}

func (v findingsView) has(rule, path, consumer string) bool {
	for _, f := range v.Findings {
		if f.RuleID == rule && f.Path == path && f.Consumer == consumer {
			return true
		}
	}
	return false
}

// TestJSONDeprecationStory walks the deprecation lifecycle of a JSON
// Schema subject over real HTTP on every store, with an injected clock:
// field deprecations named by field path and stored as JSON Pointers; a
// path consumer and a reader-schema consumer; runtime usage; the report;
// the removal refused while a consumer reads the property and before the
// sunset; the removal accepted after it once nobody reads it.
func TestJSONDeprecationStory(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		register := func(text string) response {
			return s.do(t, request{Method: http.MethodPost, Path: "/subjects/orders-json/versions",
				Body: jsonBody(t, map[string]string{"schema": text, "schemaType": "JSON"})})
		}
		v1 := register(jsonOrderV1)
		if v1.Status != http.StatusOK {
			t.Fatalf("register v1: %d %s", v1.Status, v1.Body)
		}
		id1 := decode[struct{ ID int }](t, v1).ID

		// 1. The producer deprecates note by field path, and a property of
		// a definition through the property that refers to it.
		deprecate := func(path string) response {
			return s.do(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: jsonBody(t, map[string]string{
				"subject": "orders-json", "path": path, "sunset": "2026-02-15", "replacement": "/properties/comment", "reason": "moves to comment",
			})})
		}
		for path, want := range map[string]string{"note": "/properties/note", "home.zip": "/$defs/Address/properties/zip"} {
			r := deprecate(path)
			if got := decode[struct{ Path, Scope string }](t, r); r.Status != http.StatusCreated || got.Path != want || got.Scope != "field" {
				t.Fatalf("deprecate %s = %d %s, want 201 with path %s", path, r.Status, r.Body, want)
			}
		}
		if r := deprecate("/properties/note"); r.Status != http.StatusOK {
			t.Fatalf("deprecating /properties/note again = %d %s, want 200 (the same element)", r.Status, r.Body)
		}
		wantError(t, deprecate("home.street"), http.StatusUnprocessableEntity, 42211)
		wantError(t, deprecate("/properties/id/type"), http.StatusUnprocessableEntity, 42211)

		rep := s.report(t, "?subjectPrefix=orders-json")
		if len(rep.Items) != 2 || rep.Items[0].Path != "/$defs/Address/properties/zip" || rep.Items[1].Path != "/properties/note" ||
			rep.Items[1].DaysLeft != 36 || rep.Items[1].Status != registry.StatusDeprecated {
			t.Fatalf("report after deprecating = %+v", rep)
		}

		// 2. Two consumers read note: one by field path, one with a JSON
		// reader schema. Paths must name something in the latest version.
		pathConsumer := func(fields ...string) string {
			return jsonBody(t, map[string]any{"owner": "search-team",
				"reads": []map[string]any{{"subject": "orders-json", "fields": fields, "backfill": "30d"}}})
		}
		readerConsumer := func(reader string) string {
			return jsonBody(t, map[string]any{"owner": "data-platform",
				"reads": []map[string]any{{"subject": "orders-json", "schema": reader, "schemaType": "JSON", "backfill": "30d"}}})
		}
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-search", Body: pathConsumer("note", "home.zip")}, http.StatusCreated)
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: readerConsumer(jsonReaderWithNote)}, http.StatusCreated)
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: readerConsumer(jsonReaderWithNote)}, http.StatusOK)
		for _, bad := range []string{"items[0]", "customer.email", "home..zip", "/properties/id/type"} {
			wantError(t, s.do(t, request{Method: http.MethodPut, Path: "/v1/consumers/bad-paths", Body: pathConsumer("id", bad)}), http.StatusUnprocessableEntity, 42210)
		}
		wantError(t, s.do(t, request{Method: http.MethodPut, Path: "/v1/consumers/bad-reader", Body: readerConsumer(`{"type":"strng"}`)}), http.StatusUnprocessableEntity, 42201)

		s.mustDo(t, request{Method: http.MethodGet, Path: fmt.Sprintf("/schemas/ids/%d", id1),
			Header: map[string]string{"X-Client-Id": "orders-etl-prod"}}, http.StatusOK)
		if err := s.svc.FlushUsage(t.Context()); err != nil {
			t.Fatal(err)
		}
		rep = s.report(t, "?subjectPrefix=orders-json")
		note := rep.Items[1]
		var names []string
		for _, c := range note.Consumers {
			names = append(names, c.Name)
		}
		if !slices.Equal(names, []string{"orders-etl", "orders-search"}) || len(note.Clients) != 1 || note.Clients[0].Identity != "client:orders-etl-prod" {
			t.Fatalf("report while consumers read note = %+v", note)
		}
		if zip := rep.Items[0]; len(zip.Consumers) != 1 || zip.Consumers[0].Name != "orders-search" {
			t.Fatalf("home.zip should be read by the path consumer only: %+v", zip)
		}
		if owned := s.report(t, "?owner=data-platform&subjectPrefix=orders-json"); len(owned.Items) != 1 || owned.Items[0].Path != "/properties/note" {
			t.Fatalf("report for data-platform = %+v, want note only", owned)
		}

		// 3. Removing note is refused, naming both consumers, on the
		// compatibility endpoint and on registration.
		check := decode[findingsView](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/compatibility/subjects/orders-json/versions/latest?verbose=true",
			Body: jsonBody(t, map[string]string{"schema": jsonOrderWithoutNote, "schemaType": "JSON"})}, http.StatusOK))
		if check.IsCompatible || !check.has("CONSUMER_FIELD_MISSING", "/properties/note", "orders-search") ||
			!check.has("CONSUMER_READER_INCOMPATIBLE", "/properties/note", "orders-etl") ||
			!check.has("JSON_ADDITIVE_DEPRECATED_REMOVED_EARLY", "/properties/note", "") {
			t.Fatalf("compatibility answer = %+v, want both consumers' findings and the early removal", check)
		}
		rejected := register(jsonOrderWithoutNote)
		wantError(t, rejected, http.StatusConflict, 409)
		if !strings.Contains(string(rejected.Body), "orders-search") || !strings.Contains(string(rejected.Body), "data-platform") {
			t.Errorf("rejection does not name the consumers and owners: %s", rejected.Body)
		}

		// 4. Both consumers move to comment; the sunset still holds the
		// removal back.
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-search", Body: pathConsumer("comment", "home.zip")}, http.StatusOK)
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: readerConsumer(jsonReaderWithComment)}, http.StatusOK)
		if rep = s.report(t, "?subjectPrefix=orders-json"); len(rep.Items[1].Consumers) != 0 {
			t.Fatalf("report after the consumers moved = %+v", rep)
		}
		early := register(jsonOrderWithoutNote)
		wantError(t, early, http.StatusConflict, 409)
		if strings.Contains(string(early.Body), "orders-search") || strings.Contains(string(early.Body), "orders-etl") || !strings.Contains(string(early.Body), "sunset") {
			t.Errorf("early removal should be refused for its sunset only: %s", early.Body)
		}

		// 5. After the sunset note is removable, and its removal from the
		// open content model is accepted; home.zip, still read, is not.
		s.clock.Set(time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC))
		rep = s.report(t, "?overdueOnly=true&subjectPrefix=orders-json")
		if len(rep.Items) != 2 || rep.Items[1].Status != registry.StatusRemovable || rep.Items[0].Status != registry.StatusOverdue {
			t.Fatalf("report after the sunset = %+v", rep)
		}
		if accepted := register(jsonOrderWithoutNote); accepted.Status != http.StatusOK {
			t.Fatalf("removal after the sunset: %d %s", accepted.Status, accepted.Body)
		}
		if rep = s.report(t, "?subjectPrefix=orders-json"); len(rep.Items) != 1 || rep.Items[0].Path != "/$defs/Address/properties/zip" {
			t.Errorf("report after the removal = %+v, want only home.zip left", rep)
		}
		withoutZip := strings.Replace(jsonOrderWithoutNote, `"properties":{"zip":{"type":"string"}}`, `"properties":{}`, 1)
		stillRead := register(withoutZip)
		wantError(t, stillRead, http.StatusConflict, 409)
		if !strings.Contains(string(stillRead.Body), "orders-search") {
			t.Errorf("removing home.zip should name its reader: %s", stillRead.Body)
		}
	})
}

// TestJSONConsumerLifecycleRoutes covers the other consumer features on a
// JSON Schema subject over HTTP on every store: the Deprecation and
// Sunset headers of a deprecated version, and the backfill check of a
// JSON reader schema against the versions in its window.
func TestJSONConsumerLifecycleRoutes(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		s.mustDo(t, request{Method: http.MethodPut, Path: "/config/events-json", Body: `{"compatibility":"NONE","additiveOnly":false}`}, http.StatusOK)
		reg := func(text string) int {
			r := s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/events-json/versions",
				Body: jsonBody(t, map[string]string{"schema": text, "schemaType": "JSON"})}, http.StatusOK)
			return decode[struct{ ID int }](t, r).ID
		}
		id1 := reg(`{"type":"object","properties":{"id":{"type":"string"}}}`)
		s.clock.Set(time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC))
		reg(`{"type":"object","properties":{"id":{"type":"integer"}}}`)

		s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":"events-json","version":1,"sunset":"2026-06-01"}`}, http.StatusCreated)
		since := fmt.Sprintf("@%d", time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC).Unix())
		for _, path := range []string{fmt.Sprintf("/schemas/ids/%d", id1), "/subjects/events-json/versions/1", "/subjects/events-json/versions/1/schema"} {
			r := s.mustDo(t, request{Method: http.MethodGet, Path: path}, http.StatusOK)
			if r.Header.Get("Deprecation") != since || r.Header.Get("Sunset") != "Mon, 01 Jun 2026 00:00:00 GMT" {
				t.Errorf("GET %s headers Deprecation=%q Sunset=%q", path, r.Header.Get("Deprecation"), r.Header.Get("Sunset"))
			}
		}
		if r := s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/events-json/versions/2"}, http.StatusOK); r.Header.Get("Deprecation") != "" {
			t.Errorf("version 2 is not deprecated, got Deprecation %q", r.Header.Get("Deprecation"))
		}

		consumer := func(reader, window string) string {
			return jsonBody(t, map[string]any{"owner": "analytics",
				"reads": []map[string]any{{"subject": "events-json", "schema": reader, "schemaType": "JSON", "backfill": window}}})
		}
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/events-etl", Body: consumer(`{"properties":{"id":{"type":"integer"}}}`, "5d")}, http.StatusCreated)
		got := decode[backfillView](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/consumers/events-etl/backfill"}, http.StatusOK))
		if !got.Compatible || len(got.Subjects) != 1 || len(got.Subjects[0].Versions) != 1 {
			t.Errorf("5-day window = %+v, want only version 2, readable", got)
		}
		wide := decode[backfillView](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/consumers/events-etl/backfill",
			Body: consumer(`{"properties":{"id":{"type":"integer"}}}`, "30d")}, http.StatusOK))
		if wide.Compatible || len(wide.Subjects[0].Versions) != 2 || len(wide.Subjects[0].Findings) == 0 ||
			wide.Subjects[0].Findings[0].RuleID != "CONSUMER_READER_INCOMPATIBLE" || wide.Subjects[0].Findings[0].Version != 1 ||
			wide.Subjects[0].Findings[0].Path != "/properties/id" {
			t.Errorf("30-day candidate = %+v, want version 1 (id a string) unreadable at /properties/id", wide)
		}
		paths := decode[backfillView](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/consumers/events-etl/backfill",
			Body: jsonBody(t, map[string]any{"owner": "analytics",
				"reads": []map[string]any{{"subject": "events-json", "fields": []string{"id"}, "backfill": "30d"}}})}, http.StatusOK))
		if paths.Compatible || len(paths.Subjects[0].Findings) != 1 || paths.Subjects[0].Findings[0].RuleID != "CONSUMER_FIELD_TYPE_CHANGED" {
			t.Errorf("30-day path candidate = %+v, want id's type change in version 1", paths)
		}
	})
}
