package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/memtest"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// call sends a JSON request and returns the status and the decoded
// Confluent error body (zero for successes).
func call(t *testing.T, method, url string, body any) (int, errorBody) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, url, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	resp, raw := servertest.Do(t, nil, req)
	var e errorBody
	if resp.StatusCode >= 400 {
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatalf("%s %s: status %d with a body that is not a Confluent error: %s", method, url, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, e
}

// errorBody is Confluent's error answer.
type errorBody = srapi.ErrorBody

// protobufLiteralBomb is a Protobuf schema whose option literal nests
// depth levels: 4 bytes a level.
func protobufLiteralBomb(depth int) string {
	return "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\n" +
		"message R { R a = 1; }\nextend google.protobuf.MessageOptions { R x = 50000; }\n" +
		"message M { option (x) = " + strings.Repeat("{a:", depth) + "{}" + strings.Repeat("}", depth) + "; }\n"
}

// avroNestingBomb nests arrays in maps in unions, levels deep.
func avroNestingBomb(levels int) string {
	return strings.Repeat(`["null",{"type":"map","values":{"type":"array","items":`, levels) +
		`"int"` + strings.Repeat(`}}]`, levels)
}

// TestSchemaBombsAre42201 sends bombs that used to take the process to
// gigabytes, over HTTP, and checks they are refused as invalid schemas
// within a bounded amount of memory, with nothing stored. It does not run
// in parallel so that the memory it measures is the server's work on
// these requests alone.
func TestSchemaBombsAre42201(t *testing.T) {
	s := servertest.Start(t, servertest.WithBackend(servertest.PostgreSQL))
	if status, e := call(t, http.MethodPost, s.URL()+"/subjects/target-value/versions", map[string]any{"schema": `"string"`}); status != http.StatusOK {
		t.Fatalf("register: %d %+v", status, e)
	}
	tests := []struct {
		name  string
		route string
		body  map[string]any
		limit string
	}{
		{
			name:  "ProtobufLiteralBombRegistered",
			route: "/subjects/bomb-value/versions",
			body:  map[string]any{"schemaType": "PROTOBUF", "schema": protobufLiteralBomb(100_000)},
			limit: "MaxDepth",
		},
		{
			name:  "ProtobufLiteralBombChecked",
			route: "/compatibility/subjects/bomb-value/versions",
			body:  map[string]any{"schemaType": "PROTOBUF", "schema": protobufLiteralBomb(100_000)},
			limit: "MaxDepth",
		},
		{
			name:  "ProtobufLiteralBombOfFourMegabytes",
			route: "/subjects/bomb-value/versions",
			body:  map[string]any{"schemaType": "PROTOBUF", "schema": protobufLiteralBomb(1_000_000)},
			limit: "MaxTextBytes",
		},
		{
			name:  "AvroNestingBomb",
			route: "/subjects/bomb-value/versions",
			body:  map[string]any{"schema": avroNestingBomb(15_000)},
			limit: "MaxDepth",
		},
		{
			name:  "AvroNestingBombLookedUp",
			route: "/subjects/target-value",
			body:  map[string]any{"schema": avroNestingBomb(15_000)},
			limit: "MaxDepth",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var e errorBody
			n := memtest.Allocated(func() { status, e = call(t, http.MethodPost, s.URL()+tt.route, tt.body) })
			if status != http.StatusUnprocessableEntity || e.ErrorCode != 42201 {
				t.Fatalf("POST %s = %d %+v, want 422 with error code 42201", tt.route, status, e)
			}
			if !strings.Contains(e.Message, tt.limit) {
				t.Errorf("message %q does not name the limit %s", e.Message, tt.limit)
			}
			if n > 64<<20 {
				t.Errorf("refusing the bomb allocated %d MiB, want at most 64 MiB", n>>20)
			}
		})
	}
	if status, e := call(t, http.MethodGet, s.URL()+"/subjects/bomb-value/versions", nil); status != http.StatusNotFound || e.ErrorCode != 40401 {
		t.Errorf("GET versions after the bombs = %d %+v, want 40401: nothing stored", status, e)
	}
}

func TestLimitsAreConfigurable(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithConfig(server.Config{Limits: schema.Limits{MaxFields: 2}}), servertest.WithBackend(servertest.PostgreSQL))
	record := func(n int) string {
		fs := make([]string, n)
		for i := range fs {
			fs[i] = fmt.Sprintf(`{"name":"f%d","type":"int"}`, i)
		}
		return `{"type":"record","name":"R","fields":[` + strings.Join(fs, ",") + `]}`
	}
	if status, e := call(t, http.MethodPost, s.URL()+"/subjects/few-value/versions", map[string]any{"schema": record(2)}); status != http.StatusOK {
		t.Fatalf("two fields: %d %+v, want 200", status, e)
	}
	status, e := call(t, http.MethodPost, s.URL()+"/subjects/many-value/versions", map[string]any{"schema": record(3)})
	if status != http.StatusUnprocessableEntity || e.ErrorCode != 42201 || !strings.Contains(e.Message, "MaxFields") {
		t.Fatalf("three fields: %d %+v, want 42201 naming MaxFields", status, e)
	}
}

func TestImportedIDsStayWithin32Bits(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	if status, e := call(t, http.MethodPut, s.URL()+"/mode/imp-value", map[string]any{"mode": "IMPORT"}); status != http.StatusOK {
		t.Fatalf("PUT /mode: %d %+v", status, e)
	}
	url := s.URL() + "/subjects/imp-value/versions"
	for _, id := range []int64{-1, -2147483648, 2147483648, 9223372036854775807} {
		status, e := call(t, http.MethodPost, url, map[string]any{"schema": `"string"`, "id": id, "version": 1})
		if status != http.StatusUnprocessableEntity || e.ErrorCode != 42205 || !strings.Contains(e.Message, fmt.Sprint(id)) {
			t.Errorf("id %d: %d %+v, want 422 with error code 42205 naming the id", id, status, e)
		}
	}
	if status, e := call(t, http.MethodGet, url, nil); status != http.StatusNotFound || e.ErrorCode != 40401 {
		t.Fatalf("GET versions after refused imports = %d %+v, want 40401: nothing stored", status, e)
	}
	if status, e := call(t, http.MethodPost, url, map[string]any{"schema": `"string"`, "id": 2147483647, "version": 1}); status != http.StatusOK {
		t.Fatalf("id 2147483647: %d %+v, want 200", status, e)
	}
	// Every id is now used up: the next schema must fail clearly rather
	// than get an id clients cannot read. (A registration without an id
	// needs READWRITE: another subject.)
	status, e := call(t, http.MethodPost, s.URL()+"/subjects/other-value/versions", map[string]any{"schema": `"int"`})
	if status != http.StatusInternalServerError || e.ErrorCode != 50001 || !strings.Contains(e.Message, "exhausted") {
		t.Fatalf("a new schema after id 2147483647: %d %+v, want 50001 saying ids are exhausted", status, e)
	}
}

func TestNegativeLimitsAreRefused(t *testing.T) {
	t.Parallel()
	cfg := server.Config{Limits: schema.Limits{MaxDepth: -1}}.WithDefaults()
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "max schema depth") {
		t.Fatalf("Validate() = %v, want an error naming max schema depth", err)
	}
}

// largeProtobuf is a valid Protobuf schema of about 700 KB (30,000
// fields), which takes a good fraction of a second to compile; tag makes
// each text distinct so that none is answered from a cache.
func largeProtobuf(tag int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "syntax = \"proto3\";\npackage big%d;\n", tag)
	for m := range 300 {
		fmt.Fprintf(&b, "message M%d {\n", m)
		for f := 1; f <= 100; f++ {
			fmt.Fprintf(&b, "  string field_%d = %d;\n", f, f)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestBusyParsingIs503: with one parse slot, requests that cannot get it
// within a second are answered 503 with Retry-After instead of queueing.
func TestBusyParsingIs503(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithConfig(server.Config{MaxConcurrentParses: 1}), servertest.WithBackend(servertest.PostgreSQL))
	const requests = 6
	type answer struct {
		status     int
		code       int
		retryAfter string
	}
	answers := make(chan answer, requests)
	for i := range requests {
		go func() {
			body, _ := json.Marshal(map[string]any{"schemaType": "PROTOBUF", "schema": largeProtobuf(i)})
			resp, err := http.Post(fmt.Sprintf("%s/subjects/big%d-value/versions", s.URL(), i), "application/json", strings.NewReader(string(body)))
			if err != nil {
				t.Error(err)
				answers <- answer{}
				return
			}
			defer resp.Body.Close()
			var e errorBody
			_ = json.NewDecoder(resp.Body).Decode(&e)
			answers <- answer{status: resp.StatusCode, code: int(e.ErrorCode), retryAfter: resp.Header.Get("Retry-After")}
		}()
	}
	busy, ok := 0, 0
	for range requests {
		a := <-answers
		switch {
		case a.status == http.StatusOK:
			ok++
		case a.status == http.StatusServiceUnavailable && a.code == 50301 && a.retryAfter == "1":
			busy++
		default:
			t.Errorf("answer %+v, want 200, or 503 with error code 50301 and Retry-After: 1", a)
		}
	}
	if ok == 0 || busy == 0 {
		t.Errorf("%d registered and %d refused as busy, want some of each", ok, busy)
	}
}
