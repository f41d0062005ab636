package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// consumerServer is the API over a real store with an injected clock and
// the shipped defaults (BACKWARD, additive-only, consumer breakage
// rejected), served on a loopback port. Unlike newServer it serves the
// API alone, over a service the test holds: the tests flush runtime usage
// themselves, at the moments they choose, which the registry's own
// background flushing would race.
type consumerServer struct {
	*testServer
	svc   *registry.Service
	clock *clocktest.Clock
}

func newConsumerServer(t *testing.T, b servertest.Backend) *consumerServer {
	t.Helper()
	clk := clocktest.New(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
	svc := registry.New(b.NewStore(t), registry.Options{Now: clk.Now, Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = svc.Watch(ctx)
	}()
	h := api.New(svc, api.Options{Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
		cancel()
		<-done
	})
	return &consumerServer{testServer: &testServer{URL: srv.URL, client: srv.Client()}, svc: svc, clock: clk}
}

// jsonBody encodes v for a request body.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decode unmarshals a response body into v.
func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return v
}

// wantError checks a Confluent-style error body.
func wantError(t *testing.T, r response, status, code int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, r.Body)
	}
	var e struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil || e.ErrorCode != code || e.Message == "" {
		t.Fatalf("error body = %s, want error_code %d with a message", r.Body, code)
	}
}

const (
	orderV1 = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"note","type":"string","default":""},{"name":"comment","type":"string","default":""}]}`
	orderWithoutNote = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"comment","type":"string","default":""}]}`
	readerWithNote = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"note","type":"string"}]}`
	readerWithComment = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"comment","type":"string","default":""}]}`
)

// reportView is the part of the report the story follows.
type reportView struct {
	Items []struct {
		Subject   string `json:"subject"`
		Path      string `json:"path"`
		DaysLeft  int    `json:"daysLeft"`
		Overdue   bool   `json:"overdue"`
		Status    string `json:"status"`
		Consumers []struct {
			Name  string `json:"name"`
			Owner string `json:"owner"`
		} `json:"consumers"`
		Clients []struct {
			Identity string `json:"identity"`
			Count    int64  `json:"count"`
		} `json:"clients"`
	} `json:"items"`
}

func (s *consumerServer) report(t *testing.T, query string) reportView {
	t.Helper()
	return decode[reportView](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/reports/deprecations" + query}, http.StatusOK))
}

// TestDeprecationStory walks the whole lifecycle over real HTTP on every
// store, with an injected clock: a producer deprecates a field with a
// sunset; a consumer still reads it; the producer's removal is rejected
// naming that consumer; the consumer registers a new reader without the
// field; the sunset passes; the removal is accepted. The report follows
// each step.
func TestDeprecationStory(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		register := func(text string) response {
			return s.do(t, request{Method: http.MethodPost, Path: "/subjects/orders-value/versions", Body: jsonBody(t, map[string]string{"schema": text})})
		}
		v1 := register(orderV1)
		if v1.Status != http.StatusOK {
			t.Fatalf("register v1: %d %s", v1.Status, v1.Body)
		}
		id1 := decode[struct{ ID int }](t, v1).ID

		// 1. The producer deprecates Order.note with a sunset.
		dep := s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: jsonBody(t, map[string]string{
			"subject": "orders-value", "path": "note", "sunset": "2026-02-15",
			"replacement": "Order.comment", "reason": "free text moves to comment",
		})}, http.StatusCreated)
		if got := decode[struct{ Path, Scope string }](t, dep); got.Path != "Order.note" || got.Scope != "field" {
			t.Fatalf("deprecation = %s, want the canonical field path", dep.Body)
		}
		rep := s.report(t, "")
		if len(rep.Items) != 1 || rep.Items[0].Path != "Order.note" || rep.Items[0].DaysLeft != 36 ||
			rep.Items[0].Status != registry.StatusDeprecated || len(rep.Items[0].Consumers) != 0 {
			t.Fatalf("report after deprecating = %+v", rep)
		}

		// 2. A consumer still reads the field, and fetches the schema at
		// runtime.
		consumer := func(reader string) string {
			return jsonBody(t, map[string]any{
				"owner": "data-platform", "labels": map[string]string{"env": "prod"},
				"reads": []map[string]any{{"subject": "orders-value", "schema": reader, "backfill": "30d"}},
			})
		}
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: consumer(readerWithNote)}, http.StatusCreated)
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: consumer(readerWithNote)}, http.StatusOK)
		s.mustDo(t, request{Method: http.MethodGet, Path: fmt.Sprintf("/schemas/ids/%d", id1),
			Header: map[string]string{"X-Client-Id": "orders-etl-prod"}}, http.StatusOK)
		if err := s.svc.FlushUsage(t.Context()); err != nil {
			t.Fatal(err)
		}
		rep = s.report(t, "?owner=data-platform")
		if len(rep.Items) != 1 || len(rep.Items[0].Consumers) != 1 || rep.Items[0].Consumers[0].Name != "orders-etl" ||
			len(rep.Items[0].Clients) != 1 || rep.Items[0].Clients[0].Identity != "client:orders-etl-prod" {
			t.Fatalf("report while the consumer reads the field = %+v", rep)
		}

		// 3. The producer's removal is rejected, naming the consumer and
		// its owner, on registration and on the compatibility endpoint.
		rejected := register(orderWithoutNote)
		wantError(t, rejected, http.StatusConflict, 409)
		if !strings.Contains(string(rejected.Body), "orders-etl") || !strings.Contains(string(rejected.Body), "data-platform") {
			t.Errorf("rejection does not name the consumer and its owner: %s", rejected.Body)
		}
		compat := s.mustDo(t, request{Method: http.MethodPost, Path: "/compatibility/subjects/orders-value/versions/latest?verbose=true",
			Body: jsonBody(t, map[string]string{"schema": orderWithoutNote})}, http.StatusOK)
		findings := decode[struct {
			IsCompatible bool `json:"is_compatible"`
			Findings     []struct {
				RuleID   string `json:"ruleId"`
				Consumer string `json:"consumer"`
			} `json:"findings"`
		}](t, compat)
		if findings.IsCompatible || !slices.ContainsFunc(findings.Findings, func(f struct {
			RuleID   string `json:"ruleId"`
			Consumer string `json:"consumer"`
		}) bool {
			return f.RuleID == "CONSUMER_READER_INCOMPATIBLE" && f.Consumer == "orders-etl"
		}) {
			t.Errorf("compatibility answer lacks the consumer finding: %s", compat.Body)
		}

		// 4. The consumer moves to a reader without the field; the report
		// no longer lists it, but the sunset still stands.
		s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: consumer(readerWithComment)}, http.StatusOK)
		if rep = s.report(t, ""); len(rep.Items) != 1 || len(rep.Items[0].Consumers) != 0 {
			t.Fatalf("report after the consumer moved = %+v", rep)
		}
		early := register(orderWithoutNote)
		wantError(t, early, http.StatusConflict, 409)
		if strings.Contains(string(early.Body), "orders-etl") || !strings.Contains(string(early.Body), "sunset") {
			t.Errorf("early removal should be refused for its sunset only: %s", early.Body)
		}

		// 5. The sunset passes: the element is overdue and removable, and
		// the removal is accepted.
		s.clock.Set(time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC))
		rep = s.report(t, "?overdueOnly=true")
		if len(rep.Items) != 1 || !rep.Items[0].Overdue || rep.Items[0].Status != registry.StatusRemovable || rep.Items[0].DaysLeft != -1 {
			t.Fatalf("report after the sunset = %+v", rep)
		}
		if accepted := register(orderWithoutNote); accepted.Status != http.StatusOK {
			t.Fatalf("removal after the sunset: %d %s", accepted.Status, accepted.Body)
		}
		if rep = s.report(t, ""); len(rep.Items) != 0 {
			t.Errorf("report after the removal = %+v, want nothing left", rep)
		}
	})
}

func TestConsumerRoutes(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		body := jsonBody(t, map[string]any{
			"name": "billing", "owner": "finance",
			"reads": []map[string]any{{"subject": "orders-value", "fields": []string{"Order.id"}, "backfill": "90d"}},
		})
		created := s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/consumers", Body: body}, http.StatusCreated)
		got := decode[map[string]any](t, created)
		if got["name"] != "billing" || got["createdAt"] == nil {
			t.Errorf("created consumer = %s", created.Body)
		}
		s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/consumers", Body: body}, http.StatusOK)
		wantError(t, s.do(t, request{Method: http.MethodPost, Path: "/v1/consumers", Body: strings.Replace(body, "finance", "ops", 1)}), http.StatusConflict, 40910)

		one := s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/consumers/billing"}, http.StatusOK)
		if !strings.Contains(string(one.Body), `"backfill":"90d"`) {
			t.Errorf("GET consumer = %s, want the backfill window as 90d", one.Body)
		}
		list := decode[[]map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/consumers?subject=orders-value"}, http.StatusOK))
		none := decode[[]map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/consumers?owner=nobody"}, http.StatusOK))
		if len(list) != 1 || len(none) != 0 {
			t.Errorf("lists = %v and %v, want one then none", list, none)
		}

		tests := []struct {
			name   string
			req    request
			status int
			code   int
		}{
			{"UnknownConsumer", request{Method: http.MethodGet, Path: "/v1/consumers/nobody"}, 404, 40410},
			{"InvalidName", request{Method: http.MethodPut, Path: "/v1/consumers/bad%20name", Body: `{"owner":"x","reads":[{"subject":"s","fields":["a"]}]}`}, 422, 42210},
			{"NameMismatch", request{Method: http.MethodPut, Path: "/v1/consumers/a", Body: `{"name":"b","owner":"x","reads":[{"subject":"s","fields":["a"]}]}`}, 422, 42210},
			{"BadWindow", request{Method: http.MethodPut, Path: "/v1/consumers/a", Body: `{"owner":"x","reads":[{"subject":"s","fields":["a"],"backfill":"soon"}]}`}, 422, 42210},
			{"InvalidReaderSchema", request{Method: http.MethodPut, Path: "/v1/consumers/a", Body: `{"owner":"x","reads":[{"subject":"s","schema":"{\"type\":"}]}`}, 422, 42201},
			{"MalformedJSON", request{Method: http.MethodPost, Path: "/v1/consumers", Body: `{`}, 400, 400},
			{"UnknownDeprecation", request{Method: http.MethodGet, Path: "/v1/deprecations/77"}, 404, 40411},
			{"DeprecateUnknownSubject", request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":"nothing"}`}, 404, 40401},
			{"BadSunset", request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":"s","sunset":"next week"}`}, 422, 42211},
			{"BackfillUnknownConsumer", request{Method: http.MethodGet, Path: "/v1/consumers/nobody/backfill"}, 404, 40410},
			{"BadUsageDays", request{Method: http.MethodGet, Path: "/v1/reports/deprecations?usageDays=x"}, 422, 422},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := s.do(t, tc.req)
				if tc.code == 422 {
					if r.Status/100 != 4 {
						t.Fatalf("status = %d, want a 4xx; body %s", r.Status, r.Body)
					}
					return
				}
				wantError(t, r, tc.status, tc.code)
			})
		}

		s.mustDo(t, request{Method: http.MethodDelete, Path: "/v1/consumers/billing"}, http.StatusNoContent)
		wantError(t, s.do(t, request{Method: http.MethodDelete, Path: "/v1/consumers/billing"}), 404, 40410)
	})
}

func TestDeprecationRecordRoutes(t *testing.T) {
	t.Parallel()
	s := newConsumerServer(t, servertest.SQLite)
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value/versions", Body: jsonBody(t, map[string]string{"schema": orderV1})}, http.StatusOK)
	created := decode[map[string]any](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations",
		Body: `{"subject":"orders-value","version":1,"reason":"v1 is legacy"}`}, http.StatusCreated))
	id := int(created["id"].(float64))
	if created["scope"] != "version" || created["since"] != "2026-01-10T09:00:00Z" {
		t.Errorf("created = %v", created)
	}
	s.mustDo(t, request{Method: http.MethodPut, Path: fmt.Sprintf("/v1/deprecations/%d", id), Body: `{"subject":"orders-value","reason":"gone soon","sunset":"2026-03-01T00:00:00Z"}`}, http.StatusOK)
	got := decode[map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: fmt.Sprintf("/v1/deprecations/%d", id)}, http.StatusOK))
	if got["reason"] != "gone soon" || got["sunset"] != "2026-03-01T00:00:00Z" || got["version"] != float64(1) {
		t.Errorf("after update = %v", got)
	}
	list := decode[[]map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/deprecations?subjectPrefix=orders"}, http.StatusOK))
	if len(list) != 1 {
		t.Errorf("list = %v, want one record", list)
	}
	s.mustDo(t, request{Method: http.MethodDelete, Path: fmt.Sprintf("/v1/deprecations/%d", id)}, http.StatusNoContent)
	wantError(t, s.do(t, request{Method: http.MethodGet, Path: fmt.Sprintf("/v1/deprecations/%d", id)}), 404, 40411)
}

func TestLookupsCarryDeprecationHeaders(t *testing.T) {
	t.Parallel()
	s := newConsumerServer(t, servertest.SQLite)
	reg := func(subject string) int {
		r := s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/" + subject + "/versions", Body: jsonBody(t, map[string]string{"schema": orderV1})}, http.StatusOK)
		return decode[struct{ ID int }](t, r).ID
	}
	id := reg("legacy-value")
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/current-value/versions", Body: jsonBody(t, map[string]string{"schema": orderWithoutNote})}, http.StatusOK)
	s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":"legacy-value","sunset":"2026-06-01"}`}, http.StatusCreated)
	since := fmt.Sprintf("@%d", time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC).Unix())

	tests := []struct {
		name                string
		path                string
		deprecation, sunset string
	}{
		{"ByID", fmt.Sprintf("/schemas/ids/%d", id), since, "Mon, 01 Jun 2026 00:00:00 GMT"},
		{"ByIDText", fmt.Sprintf("/schemas/ids/%d/schema", id), since, "Mon, 01 Jun 2026 00:00:00 GMT"},
		{"LatestVersion", "/subjects/legacy-value/versions/latest", since, "Mon, 01 Jun 2026 00:00:00 GMT"},
		{"NumberedVersionText", "/subjects/legacy-value/versions/1/schema", since, "Mon, 01 Jun 2026 00:00:00 GMT"},
		{"NotDeprecated", "/subjects/current-value/versions/1", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.mustDo(t, request{Method: http.MethodGet, Path: tc.path}, http.StatusOK)
			if got := r.Header.Get("Deprecation"); got != tc.deprecation {
				t.Errorf("Deprecation = %q, want %q", got, tc.deprecation)
			}
			if got := r.Header.Get("Sunset"); got != tc.sunset {
				t.Errorf("Sunset = %q, want %q", got, tc.sunset)
			}
		})
	}
}

// backfillView is the part of a backfill report the tests read.
type backfillView struct {
	Compatible bool `json:"compatible"`
	Subjects   []struct {
		Versions []struct{ Version int } `json:"versions"`
		Findings []struct {
			RuleID  string `json:"ruleId"`
			Version int    `json:"version"`
			Path    string `json:"path"`
		} `json:"findings"`
	} `json:"subjects"`
}

func TestBackfillRoute(t *testing.T) {
	t.Parallel()
	s := newConsumerServer(t, servertest.SQLite)
	s.mustDo(t, request{Method: http.MethodPut, Path: "/config/orders-value", Body: `{"compatibility":"NONE","additiveOnly":false}`}, http.StatusOK)
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value/versions", Body: jsonBody(t, map[string]string{"schema": orderWithoutNote})}, http.StatusOK)
	s.clock.Set(time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC))
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value/versions", Body: jsonBody(t, map[string]string{"schema": orderV1})}, http.StatusOK)
	consumer := func(window string) string {
		return jsonBody(t, map[string]any{"owner": "data-platform",
			"reads": []map[string]any{{"subject": "orders-value", "schema": readerWithNote, "backfill": window}}})
	}
	s.mustDo(t, request{Method: http.MethodPut, Path: "/v1/consumers/orders-etl", Body: consumer("5d")}, http.StatusCreated)

	registered := decode[backfillView](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/v1/consumers/orders-etl/backfill"}, http.StatusOK))
	if !registered.Compatible || len(registered.Subjects) != 1 || len(registered.Subjects[0].Versions) != 1 {
		t.Errorf("5-day window = %+v, want only version 2, readable", registered)
	}
	candidate := decode[backfillView](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/consumers/orders-etl/backfill", Body: consumer("30d")}, http.StatusOK))
	if candidate.Compatible || len(candidate.Subjects[0].Versions) != 2 || len(candidate.Subjects[0].Findings) == 0 ||
		candidate.Subjects[0].Findings[0].RuleID != "CONSUMER_READER_INCOMPATIBLE" || candidate.Subjects[0].Findings[0].Version != 1 {
		t.Errorf("30-day candidate = %+v, want version 1 (no note, no reader default) unreadable", candidate)
	}
}

// TestUsageAndHeadersPerContext fetches id 1 in two contexts, over real
// HTTP on every store: ids are unique per context, so only the lookups in
// the context whose subject is deprecated carry the headers, and each
// context's readers show in the report under that context's subject
// alone.
func TestUsageAndHeadersPerContext(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		reg := func(subject, text string) int {
			r := s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/" + subject + "/versions", Body: jsonBody(t, map[string]string{"schema": text})}, http.StatusOK)
			return decode[struct{ ID int }](t, r).ID
		}
		if dflt, inCtx := reg("orders-value", orderV1), reg(":.ctx:legacy-value", orderV1); dflt != 1 || inCtx != 1 {
			t.Fatalf("ids = %d (default context), %d (.ctx); want 1 in both", dflt, inCtx)
		}
		// The context's subject is deprecated as a whole; the default
		// context's only in a field, which adds no header.
		s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":":.ctx:legacy-value","sunset":"2026-06-01"}`}, http.StatusCreated)
		s.mustDo(t, request{Method: http.MethodPost, Path: "/v1/deprecations", Body: `{"subject":"orders-value","path":"note"}`}, http.StatusCreated)
		since := fmt.Sprintf("@%d", time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC).Unix())
		const sunset = "Mon, 01 Jun 2026 00:00:00 GMT"

		tests := []struct {
			name, path, client  string
			status              int
			deprecation, sunset string
		}{
			{"SubjectParam", "/schemas/ids/1?subject=:.ctx:legacy-value", "ctx-reader", 200, since, sunset},
			{"ContextPath", "/contexts/.ctx/schemas/ids/1/schema", "ctx-reader", 200, since, sunset},
			{"ContextPathUnqualifiedSubject", "/contexts/.ctx/schemas/ids/1?subject=legacy-value", "ctx-reader", 200, since, sunset},
			{"UnknownIDInContext", "/schemas/ids/2?subject=:.ctx:legacy-value", "ctx-reader", 404, since, sunset},
			{"DefaultContext", "/schemas/ids/1", "default-reader", 200, "", ""},
			{"DefaultContextSubjectParam", "/schemas/ids/1?subject=orders-value", "default-reader", 200, "", ""},
		}
		for _, tc := range tests {
			r := s.mustDo(t, request{Method: http.MethodGet, Path: tc.path, Header: map[string]string{"X-Client-Id": tc.client}}, tc.status)
			if tc.status != http.StatusOK {
				continue
			}
			if got := r.Header.Get("Deprecation"); got != tc.deprecation {
				t.Errorf("%s: Deprecation = %q, want %q", tc.name, got, tc.deprecation)
			}
			if got := r.Header.Get("Sunset"); got != tc.sunset {
				t.Errorf("%s: Sunset = %q, want %q", tc.name, got, tc.sunset)
			}
		}
		if err := s.svc.FlushUsage(t.Context()); err != nil {
			t.Fatal(err)
		}

		// Each subject's item shows the readers of its own context's id 1,
		// three lookups each (the 404 is not usage).
		clients := map[string]string{}
		for _, it := range s.report(t, "").Items {
			var got []string
			for _, c := range it.Clients {
				got = append(got, fmt.Sprintf("%s=%d", c.Identity, c.Count))
			}
			clients[it.Subject] = strings.Join(got, ",")
		}
		want := map[string]string{":.ctx:legacy-value": "client:ctx-reader=3", "orders-value": "client:default-reader=2"}
		if len(clients) != len(want) {
			t.Fatalf("report clients per subject = %v, want %v", clients, want)
		}
		for subject, w := range want {
			if clients[subject] != w {
				t.Errorf("report clients of %s = %q, want %q", subject, clients[subject], w)
			}
		}
	})
}
