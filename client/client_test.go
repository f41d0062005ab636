package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/srapi"
)

// fastRetry keeps retry tests quick while still exercising the loop.
var fastRetry = WithRetry(RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func newTestClient(t *testing.T, h http.HandlerFunc, opts ...Option) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, append([]Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func TestErrorsMatchConfluentCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
		wantCode Code
	}{
		{"SubjectNotFound", 404, `{"error_code":40401,"message":"Subject 'x' not found."}`, srapi.ErrSubjectNotFound, 40401},
		{"VersionNotFound", 404, `{"error_code":40402,"message":"Version 9 not found."}`, srapi.ErrVersionNotFound, 40402},
		{"SchemaNotFound", 404, `{"error_code":40403,"message":"Schema not found"}`, srapi.ErrSchemaNotFound, 40403},
		{"Incompatible", 409, `{"error_code":409,"message":"incompatible"}`, srapi.ErrIncompatibleSchema, 409},
		{"InvalidSchema", 422, `{"error_code":42201,"message":"Invalid schema"}`, srapi.ErrInvalidSchema, 42201},
		{"Unauthorized", 401, `{"error_code":40101,"message":"Unauthorized"}`, srapi.ErrUnauthorized, 40101},
		{"NonJSONBodyFallsBackToStatus", 404, `<html>not here</html>`, &Error{Code: 404}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := c.Version(context.Background(), "x", Latest, nil)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.StatusCode != tt.status || e.Code != tt.wantCode {
				t.Errorf("got status %d code %d, want %d %d", e.StatusCode, e.Code, tt.status, tt.wantCode)
			}
			if errors.Is(err, srapi.ErrStoreError) {
				t.Errorf("error %v wrongly matches srapi.ErrStoreError", err)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// failures is how many attempts fail before one succeeds.
		failures     int
		failStatus   int
		call         func(*Client) error
		wantAttempts int32
		wantErr      bool
	}{
		{"GetRetriedOn503", 2, 503, getLatest, 3, false},
		{"GetGivesUpAfterMaxRetries", 10, 500, getLatest, 4, true},
		{"RegisterRetriedOn502", 1, 502, register, 2, false},
		{"CompatibilityRetriedOn500", 1, 500, compatibility, 2, false},
		{"GetNotRetriedOn404", 1, 404, getLatest, 1, true},
		{"RegisterNotRetriedOn409", 1, 409, register, 1, true},
		{"DeleteNotRetriedOn503", 1, 503, deleteVersion, 1, true},
		{"RetriedOn429", 1, 429, getLatest, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempts atomic.Int32
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				if int(attempts.Add(1)) <= tt.failures {
					writeJSON(w, tt.failStatus, srapi.ErrorBody{ErrorCode: srapi.Code(tt.failStatus), Message: "try again"})
					return
				}
				okAnswer(w, r)
			})
			err := tt.call(c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := attempts.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
		})
	}
}

func getLatest(c *Client) error {
	_, err := c.Version(context.Background(), "s", Latest, nil)
	return err
}

func register(c *Client) error {
	_, err := c.Register(context.Background(), "s", Schema{Schema: `"string"`}, nil)
	return err
}

func compatibility(c *Client) error {
	_, err := c.CheckCompatibility(context.Background(), "s", 0, Schema{Schema: `"string"`}, nil)
	return err
}

func deleteVersion(c *Client) error {
	_, err := c.DeleteVersion(context.Background(), "s", 1, nil)
	return err
}

// okAnswer answers each route of the retry tests with a valid body.
func okAnswer(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodDelete:
		writeJSON(w, 200, 1)
	case strings.HasPrefix(r.URL.Path, "/compatibility/"):
		writeJSON(w, 200, CompatibilityResult{IsCompatible: true})
	case r.Method == http.MethodPost:
		writeJSON(w, 200, Registered{ID: 1})
	default:
		writeJSON(w, 200, SubjectVersion{Subject: "s", Version: 1, ID: 1, Schema: Schema{Schema: `"string"`}})
	}
}

func TestRetriesConnectionErrors(t *testing.T) {
	t.Parallel()
	// A listener that accepts and immediately closes connections: every
	// attempt fails without an answer.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conn.Close()
		}
	}()
	c, err := New("http://"+ln.Addr().String(), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Subjects(context.Background(), nil)
	if !IsUnreachable(err) {
		t.Fatalf("IsUnreachable(%v) = false", err)
	}
	if got := accepted.Load(); got != 4 {
		t.Errorf("connections = %d, want 4 (1 attempt + 3 retries)", got)
	}
}

func TestPerRequestTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		if r.URL.Query().Get("offset") != "0" {
			writeJSON(w, 200, []string{})
			return
		}
		writeJSON(w, 200, []string{"a"})
	}, WithTimeout(50*time.Millisecond))
	got, err := c.Subjects(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first page is retried once; the walk then asks for the next
	// page, which is empty.
	if len(got) != 1 || attempts.Load() != 3 {
		t.Errorf("got %v after %d attempts, want [a] after 3", got, attempts.Load())
	}
}

func TestCallerContextEndsRetries(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		writeJSON(w, 503, srapi.ErrorBody{ErrorCode: srapi.CodeStoreError, Message: "down"})
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, WithRetry(RetryPolicy{MaxRetries: 100, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Subjects(ctx, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, srapi.ErrStoreError) {
		t.Errorf("err = %v, want the 50001 answer and the context's deadline", err)
	}
	if attempts.Load() > 2 {
		t.Errorf("attempts = %d, want at most 2", attempts.Load())
	}
}

func TestRequestShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opts       []Option
		call       func(*Client) error
		wantMethod string
		wantURI    string
		wantBody   string
		wantAuth   string
	}{
		{
			name: "RegisterEscapesSubjectAndSendsReferences",
			call: func(c *Client) error {
				_, err := c.Register(ctx(), "a/b c", protoSchema, &RegisterOptions{Normalize: true})
				return err
			},
			wantMethod: "POST", wantURI: "/subjects/a%2Fb%20c/versions?normalize=true",
			wantBody: `{"schema":"syntax = \"proto3\";","schemaType":"PROTOBUF","references":[{"name":"c.proto","subject":"c","version":2}]}`,
		},
		{
			name: "LookupWithDeleted",
			call: func(c *Client) error {
				_, err := c.Lookup(ctx(), "s", Schema{Schema: "x"}, &LookupOptions{Deleted: true})
				return err
			},
			wantMethod: "POST", wantURI: "/subjects/s?deleted=true", wantBody: `{"schema":"x"}`,
		},
		{
			name: "CompatibilityAgainstAllIsVerbose",
			call: func(c *Client) error {
				_, err := c.CheckCompatibility(ctx(), "s", 0, Schema{Schema: "x"}, nil)
				return err
			},
			wantMethod: "POST", wantURI: "/compatibility/subjects/s/versions?verbose=true", wantBody: `{"schema":"x"}`,
		},
		{
			name: "CompatibilityAgainstLatest",
			call: func(c *Client) error {
				_, err := c.CheckCompatibility(ctx(), "s", Latest, Schema{Schema: "x"}, nil)
				return err
			},
			wantMethod: "POST", wantURI: "/compatibility/subjects/s/versions/latest?verbose=true", wantBody: `{"schema":"x"}`,
		},
		{
			name: "PermanentDeleteSubject",
			call: func(c *Client) error {
				_, err := c.DeleteSubject(ctx(), "s", &DeleteOptions{Permanent: true})
				return err
			},
			wantMethod: "DELETE", wantURI: "/subjects/s?permanent=true",
		},
		{
			name: "GlobalConfigSetSendsExtensions",
			call: func(c *Client) error {
				_, err := c.SetConfig(ctx(), "", ConfigUpdate{Compatibility: "FULL", AdditiveOnly: ptr(false)})
				return err
			},
			wantMethod: "PUT", wantURI: "/config", wantBody: `{"compatibility":"FULL","additiveOnly":false}`,
		},
		{
			name:       "SubjectsWithPrefix",
			call:       func(c *Client) error { _, err := c.Subjects(ctx(), &SubjectsOptions{Prefix: "orders-"}); return err },
			wantMethod: "GET", wantURI: "/subjects?limit=500&offset=0&subjectPrefix=orders-",
		},
		{
			name: "SetModeForce",
			call: func(c *Client) error {
				_, err := c.SetMode(ctx(), "s", ModeImport, &SetModeOptions{Force: true})
				return err
			},
			wantMethod: "PUT", wantURI: "/mode/s?force=true", wantBody: `{"mode":"IMPORT"}`,
		},
		{
			name:       "Contexts",
			call:       func(c *Client) error { _, err := c.Contexts(ctx()); return err },
			wantMethod: "GET", wantURI: "/contexts",
		},
		{
			name:       "DeleteContext",
			call:       func(c *Client) error { return c.DeleteContext(ctx(), ".staging") },
			wantMethod: "DELETE", wantURI: "/contexts/.staging",
		},
		{
			name:       "SchemasWithDeleted",
			call:       func(c *Client) error { _, err := c.Schemas(ctx(), &SchemasOptions{Deleted: true}); return err },
			wantMethod: "GET", wantURI: "/schemas?deleted=true&limit=500&offset=0",
		},
		{
			name: "ImportSendsIDAndVersion",
			call: func(c *Client) error {
				_, err := c.Import(ctx(), "s", RegisterRequest{Schema: `"int"`, ID: 9, Version: 2})
				return err
			},
			wantMethod: "POST", wantURI: "/subjects/s/versions", wantBody: `{"schema":"\"int\"","id":9,"version":2}`,
		},
		{
			name: "SetRawConfigSendsEveryField",
			call: func(c *Client) error {
				return c.SetRawConfig(ctx(), "s", map[string]json.RawMessage{"compatibility": json.RawMessage(`"FULL"`), "alias": json.RawMessage(`"t"`)})
			},
			wantMethod: "PUT", wantURI: "/config/s", wantBody: `{"alias":"t","compatibility":"FULL"}`,
		},
		{
			name:       "DeleteMode",
			call:       func(c *Client) error { _, err := c.DeleteMode(ctx(), "s"); return err },
			wantMethod: "DELETE", wantURI: "/mode/s",
		},
		{
			name:       "ReferencedBy",
			call:       func(c *Client) error { _, err := c.ReferencedBy(ctx(), "s", 3); return err },
			wantMethod: "GET", wantURI: "/subjects/s/versions/3/referencedby",
		},
		{
			name:       "BearerToken",
			opts:       []Option{WithBearerToken("t0k")},
			call:       func(c *Client) error { _, err := c.SchemaByID(ctx(), 7); return err },
			wantMethod: "GET", wantURI: "/schemas/ids/7", wantAuth: "Bearer t0k",
		},
		{
			name:       "BasicAuth",
			opts:       []Option{WithBasicAuth("u", "p")},
			call:       func(c *Client) error { _, err := c.Versions(ctx(), "s", nil); return err },
			wantMethod: "GET", wantURI: "/subjects/s/versions", wantAuth: "Basic dTpw",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var method, uri, body, auth, ua, ctype string
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				method, uri, body, auth = r.Method, r.RequestURI, string(b), r.Header.Get("Authorization")
				ua, ctype = r.Header.Get("User-Agent"), r.Header.Get("Content-Type")
				switch {
				case strings.HasPrefix(r.URL.Path, "/mode/"):
					writeJSON(w, 200, map[string]any{"mode": "READWRITE"})
				case r.Method == http.MethodDelete:
					writeJSON(w, 200, []int{1})
				case strings.HasSuffix(r.URL.Path, "/versions") && r.Method == http.MethodGet,
					strings.HasSuffix(r.URL.Path, "/referencedby"):
					writeJSON(w, 200, []int{1})
				case r.URL.Path == "/subjects", r.URL.Path == "/contexts", r.URL.Path == "/schemas":
					writeJSON(w, 200, []string{})
				default:
					writeJSON(w, 200, map[string]any{})
				}
			}, append([]Option{WithUserAgent("test/1")}, tt.opts...)...)
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			if method != tt.wantMethod || uri != tt.wantURI {
				t.Errorf("request = %s %s, want %s %s", method, uri, tt.wantMethod, tt.wantURI)
			}
			if strings.TrimSpace(body) != tt.wantBody {
				t.Errorf("body = %s, want %s", body, tt.wantBody)
			}
			if tt.wantBody != "" && ctype != ContentType {
				t.Errorf("Content-Type = %q, want %q", ctype, ContentType)
			}
			if auth != tt.wantAuth {
				t.Errorf("Authorization = %q, want %q", auth, tt.wantAuth)
			}
			if ua != "test/1" {
				t.Errorf("User-Agent = %q", ua)
			}
		})
	}
}

var protoSchema = Schema{
	Schema: `syntax = "proto3";`, SchemaType: TypeProtobuf,
	References: []Reference{{Name: "c.proto", Subject: "c", Version: 2}},
}

func ctx() context.Context { return context.Background() }

func ptr[T any](v T) *T { return &v }

func TestDecodesExtensions(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/compatibility/subjects/orders/versions":
			io.WriteString(w, `{"is_compatible":false,"messages":["Order.price: removed (AVRO_X)"],
				"findings":[{"ruleId":"AVRO_X","severity":"error","path":"Order.price","message":"removed",
				"version":3,"direction":"backward","new":{"line":4,"column":7},"old":{"line":5,"column":1}}]}`)
		case "/config/orders":
			io.WriteString(w, `{"compatibilityLevel":"BACKWARD","additiveOnly":true,"normalize":false,"minDeprecationDays":30,"consumerBreakage":"reject"}`)
		}
	})
	res, err := c.CheckCompatibility(ctx(), "orders", 0, Schema{Schema: "{}"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Finding{RuleID: "AVRO_X", Severity: "error", Path: "Order.price", Message: "removed", Version: 3,
		Direction: "backward", New: &Position{Line: 4, Column: 7}, Old: &Position{Line: 5, Column: 1}}
	if res.IsCompatible || len(res.Findings) != 1 || !equalFinding(res.Findings[0], want) {
		t.Errorf("result = %+v, want one finding %+v", res, want)
	}
	cfg, err := c.Config(ctx(), "orders", &ConfigOptions{DefaultToGlobal: true})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CompatibilityLevel != "BACKWARD" || cfg.AdditiveOnly == nil || !*cfg.AdditiveOnly ||
		cfg.MinDeprecationDays == nil || *cfg.MinDeprecationDays != 30 || cfg.ConsumerBreakage == nil || *cfg.ConsumerBreakage != "reject" {
		t.Errorf("config = %+v", cfg)
	}
}

// equalFinding compares findings field by field, positions by value.
func equalFinding(a, b Finding) bool {
	samePos := func(p, q *Position) bool { return p == nil && q == nil || p != nil && q != nil && *p == *q }
	if !samePos(a.New, b.New) || !samePos(a.Old, b.Old) {
		return false
	}
	a.New, a.Old, b.New, b.Old = nil, nil, nil, nil
	return a == b
}

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "localhost:8081", "ftp://x", "http://"} {
		if _, err := New(u); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
}

// TestImportsOnlyStandardLibrary pins the package's promise that it links
// nothing but the contract and the standard library.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/schemata-dev/schemata/client" && p != "github.com/schemata-dev/schemata/srapi" {
			t.Errorf("client depends on %s", p)
		}
	}
}
