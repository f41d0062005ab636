package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/VictoriaMetrics/fastcache"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// fakeService answers every call with its fields, for tests of the
// transport alone.
type fakeService struct {
	Service // nil: methods not overridden panic

	mu      sync.Mutex
	schema  *registry.Schema
	version *registry.SubjectVersion
	err     error
	panics  bool
	// epoch is SchemaEpoch's answer: a test that changes what an id
	// names moves it, as the Service does.
	epoch uint64
	// hidden makes SchemaReadable refuse every id.
	hidden bool
}

func (f *fakeService) SchemaEpoch() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.epoch
}

func (f *fakeService) SchemaReadable(_ context.Context, _ string, id int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hidden {
		return &registry.Error{Code: srapi.CodeSchemaNotFound, Message: "Schema not found"}
	}
	return nil
}

func (f *fakeService) ResolveAlias(_ context.Context, subject string, _ registry.Permission) (string, error) {
	return subject, nil
}

func (f *fakeService) SchemaByID(ctx context.Context, _ string, id int) (*registry.Schema, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panics {
		panic("boom")
	}
	if f.err != nil {
		return nil, f.err
	}
	return f.schema, nil
}

func (f *fakeService) Version(ctx context.Context, subject string, version int, deleted bool) (*registry.SubjectVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	v := *f.version
	v.Subject = subject
	return &v, nil
}

// Register answers as a remembered re-registration does: the version
// without its schema.
func (f *fakeService) Register(ctx context.Context, p registry.RegisterParams) (*registry.SubjectVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	v := *f.version
	v.Subject = p.Subject
	return &v, nil
}

func (f *fakeService) set(fn func(f *fakeService)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newFakeAPI(t *testing.T, svc *fakeService) (*API, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	a := New(svc, Options{Logger: slog.New(slog.NewTextHandler(logs, nil)), ServerID: "fake"})
	t.Cleanup(a.Close)
	return a, logs
}

func serve(a http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	return rec
}

var avroSchema = &registry.Schema{
	ID:     7,
	Format: schema.Avro,
	Text:   `{"type":"record","name":"A","fields":[{"name":"x","type":"string"}]}`,
}

func TestErrorHandlerHidesInternalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		panics     bool
		wantStatus int
		wantBody   string
		wantLogged string
	}{
		{
			name:       "DomainErrorKeepsCodeAndMessage",
			err:        registry.Errorf(srapi.CodeSchemaNotFound, "Schema 7 not found"),
			wantStatus: 404,
			wantBody:   `{"error_code":40403,"message":"Schema 7 not found"}`,
		},
		{
			name:       "StoreErrorLogsCauseButDoesNotSendIt",
			err:        &registry.Error{Code: srapi.CodeStoreError, Message: "Error in the backend data store", Err: errors.New("pq: password authentication failed for user secret")},
			wantStatus: 500,
			wantBody:   `{"error_code":50001,"message":"Error in the backend data store"}`,
			wantLogged: "password authentication failed",
		},
		{
			name:       "UnknownErrorBecomesGeneric50001",
			err:        fmt.Errorf("query: %w", errors.New("connection refused to 10.1.2.3:5432")),
			wantStatus: 500,
			wantBody:   `{"error_code":50001,"message":"Error in the backend data store"}`,
			wantLogged: "connection refused to 10.1.2.3:5432",
		},
		{
			name:       "DeadlineBecomesTimeout",
			err:        fmt.Errorf("waiting: %w", context.DeadlineExceeded),
			wantStatus: 500,
			wantBody:   `{"error_code":50002,"message":"Operation timed out"}`,
		},
		{
			name:       "PanicBecomesGeneric50001",
			panics:     true,
			wantStatus: 500,
			wantBody:   `{"error_code":50001,"message":"Error in the backend data store"}`,
			wantLogged: "boom",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, logs := newFakeAPI(t, &fakeService{err: tt.err, panics: tt.panics})
			rec := serve(a, "GET", "/schemas/ids/7", nil)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Body.String(); got != tt.wantBody {
				t.Errorf("body %s, want %s", got, tt.wantBody)
			}
			if ct := rec.Header().Get("Content-Type"); ct != ContentType {
				t.Errorf("Content-Type %q, want %q", ct, ContentType)
			}
			if tt.wantLogged != "" && !strings.Contains(logs.String(), tt.wantLogged) {
				t.Errorf("log does not mention %q:\n%s", tt.wantLogged, logs.String())
			}
		})
	}
}

func TestSchemaCacheFollowsSchemaEpoch(t *testing.T) {
	t.Parallel()
	svc := &fakeService{schema: avroSchema}
	a, _ := newFakeAPI(t, svc)

	first := serve(a, "GET", "/schemas/ids/7", nil)
	second := serve(a, "GET", "/schemas/ids/7", nil)
	if first.Body.String() != second.Body.String() || first.Header().Get("ETag") != second.Header().Get("ETag") {
		t.Fatalf("repeated lookups differ: %s vs %s", first.Body, second.Body)
	}

	// A hit asks the Service nothing but whether the caller may read.
	svc.set(func(f *fakeService) { f.err = errors.New("store down") })
	if rec := serve(a, "GET", "/schemas/ids/7", nil); rec.Code != http.StatusOK || rec.Body.String() != first.Body.String() {
		t.Errorf("cached lookup: %d %s, want the cached answer", rec.Code, rec.Body)
	}
	svc.set(func(f *fakeService) { f.err, f.hidden = nil, true })
	if rec := serve(a, "GET", "/schemas/ids/7", nil); rec.Code != http.StatusNotFound {
		t.Errorf("cached lookup by a caller who may not read it: %d %s, want 404", rec.Code, rec.Body)
	}
	svc.set(func(f *fakeService) { f.hidden = false })

	// Different content under the same id, once the epoch has moved (a
	// permanent delete and a re-import), replaces it.
	changed := *avroSchema
	changed.Text = `{"type":"string"}`
	svc.set(func(f *fakeService) { f.schema, f.epoch = &changed, f.epoch+1 })
	third := serve(a, "GET", "/schemas/ids/7", nil)
	if want := `{"schemaType":"AVRO","schema":"{\"type\":\"string\"}"}`; third.Body.String() != want {
		t.Errorf("body %s, want %s", third.Body, want)
	}
	if third.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("ETag did not change with the content")
	}
}

func TestSchemaCacheIsBoundedInBytes(t *testing.T) {
	t.Parallel()
	// fastcache's least: 512 segments of one 64 KiB chunk.
	const budget = 32 << 20
	c := newResponseCache(budget)
	text := `{"type":"record","name":"R","fields":[{"name":"f","type":"` + strings.Repeat("x", 8<<10) + `"}]}`
	const n = 10_000 // 80 MiB of answers
	for id := 1; id <= n; id++ {
		e, err := c.put(&registry.Schema{ID: id, Format: schema.Avro, Text: text}, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.release()
	}
	st := c.stat()
	if st.Capacity != budget || st.Bytes > st.Capacity {
		t.Errorf("cache holds %d bytes, capacity %d, want at most %d", st.Bytes, st.Capacity, budget)
	}
	if st.Evictions == 0 {
		t.Errorf("no evictions counted after storing %d MiB in %d MiB", n*8>>10, budget>>20)
	}
	held := 0
	for id := 1; id <= n; id++ {
		if e, ok := c.current("", id, 0); ok {
			held++
			e.release()
		}
	}
	if held == 0 || held == n {
		t.Errorf("cache holds %d of %d entries: want some, not all", held, n)
	}
	if _, ok := c.current("", n, 0); !ok {
		t.Errorf("the last entry stored is not held")
	}
}

// TestSchemaCacheConcurrent: readers and writers of overlapping ids,
// some evicting others, never see another schema's answer or a torn one.
func TestSchemaCacheConcurrent(t *testing.T) {
	t.Parallel()
	c := newResponseCache(32 << 20)
	text := func(id int) string {
		return fmt.Sprintf(`{"type":"record","name":"R%d","doc":"%s","fields":[]}`, id, strings.Repeat("d", 4000+id%3000))
	}
	want := func(id int) string {
		var b bytes.Buffer
		if err := encodeJSON(&b, wireSchema(&registry.Schema{ID: id, Format: schema.Avro, Text: text(id)})); err != nil {
			t.Error(err)
		}
		return b.String()
	}
	const ids, workers, rounds = 12_000, 4, 6_000 // about 70 MiB of answers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				id := 1 + (i*7919+w*104729)%ids
				if e, ok := c.current("", id, 0); ok {
					if got := string(e.body); got != want(id) {
						t.Errorf("id %d: got %.60s..., want %.60s...", id, got, want(id))
					}
					e.release()
					continue
				}
				e, err := c.put(&registry.Schema{ID: id, Format: schema.Avro, Text: text(id)}, 0)
				if err != nil {
					t.Error(err)
					return
				}
				e.release()
			}
		})
	}
	wg.Wait()
	if st := c.stat(); st.Hits == 0 || st.Evictions == 0 {
		t.Errorf("hits %d, evictions %d: the test wants both", st.Hits, st.Evictions)
	}
}

// TestResponseCacheBytes: the memory the runtime's limit leaves out is
// what fastcache reserves for the share.
func TestResponseCacheBytes(t *testing.T) {
	t.Parallel()
	for _, share := range []uint64{1, 1 << 20, 32<<20 - 1, 32 << 20, 32<<20 + 1, 80_530_620, 96 << 20, 644_245_080} {
		var st fastcache.Stats
		newResponseCache(share).store.UpdateStats(&st)
		if got := offHeapBytes(share); got != st.MaxBytesSize || got < share || got%(32<<20) != 0 {
			t.Errorf("share %d: offHeapBytes %d, fastcache reserves %d", share, got, st.MaxBytesSize)
		}
	}
	if got, want := ResponseCacheBytes(0), int64(96<<20); got != want {
		t.Errorf("ResponseCacheBytes(default) = %d, want %d", got, want)
	}
}

// TestSchemaCacheEntries: what the cache gives back is what the encoder
// wrote, for answers stored whole and for those split into parts, and
// only under the context and epoch they were stored with.
func TestSchemaCacheEntries(t *testing.T) {
	t.Parallel()
	c := newResponseCache(32 << 20)
	small := &registry.Schema{ID: 1, Format: schema.Avro, Text: `{"type":"string"}`}
	big := &registry.Schema{
		ID: 2, Context: ".team", Format: schema.Protobuf,
		Text:       "syntax = \"proto3\";\n// " + strings.Repeat("\"quoted\" ", 30_000) + "\nmessage A {}\n",
		References: []schema.Reference{{Name: "b.proto", Subject: "b", Version: 2}},
	}
	for _, s := range []*registry.Schema{small, big} {
		var want bytes.Buffer
		if err := encodeJSON(&want, wireSchema(s)); err != nil {
			t.Fatal(err)
		}
		put, err := c.put(s, 3)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := c.current(s.Context, s.ID, 3)
		if !ok {
			t.Fatalf("schema %d (%d bytes) not found after put", s.ID, want.Len())
		}
		if !bytes.Equal(got.body, want.Bytes()) || !bytes.Equal(put.body, want.Bytes()) {
			t.Errorf("schema %d: body %.80s..., want %.80s...", s.ID, got.body, want.Bytes())
		}
		if got.bodyHash != put.bodyHash {
			t.Errorf("schema %d: hash %x, stored %x", s.ID, got.bodyHash, put.bodyHash)
		}
		put.release()
		got.release()
		for _, miss := range []struct {
			context string
			epoch   uint64
		}{{s.Context, 4}, {".other", 3}} {
			if e, ok := c.current(miss.context, s.ID, miss.epoch); ok {
				e.release()
				t.Errorf("schema %d found under context %q, epoch %d", s.ID, miss.context, miss.epoch)
			}
		}
	}
	if st := c.stat(); st.Hits != 2 || st.Misses != 4 || st.Bytes == 0 {
		t.Errorf("hits %d, misses %d, %d bytes, want 2, 4 and some", st.Hits, st.Misses, st.Bytes)
	}
}

func TestCloseGivesTheAnswersBack(t *testing.T) {
	t.Parallel()
	svc := &fakeService{schema: avroSchema}
	a, _ := newFakeAPI(t, svc)
	first := serve(a, "GET", "/schemas/ids/7", nil)
	if st := a.CacheStats(); st.Bytes == 0 {
		t.Fatalf("no answer held after a lookup: %+v", st)
	}
	a.Close()
	if st := a.CacheStats(); st.Bytes != 0 {
		t.Errorf("%d bytes held after Close", st.Bytes)
	}
	if again := serve(a, "GET", "/schemas/ids/7", nil); again.Code != 200 || again.Body.String() != first.Body.String() {
		t.Errorf("after Close: %d %s, want %s", again.Code, again.Body, first.Body)
	}
}

func TestVersionResponseMatchesEncoder(t *testing.T) {
	t.Parallel()
	sch := &registry.Schema{
		ID:         9,
		Format:     schema.Protobuf,
		Text:       "syntax = \"proto3\";\nmessage A { string x = 1; }\n",
		References: []schema.Reference{{Name: "b.proto", Subject: "b", Version: 2}},
		Metadata:   json.RawMessage(`{"properties":{"owner":"team-a"}}`),
	}
	svc := &fakeService{schema: sch, version: &registry.SubjectVersion{Version: 3, SchemaID: 9, Schema: sch}}
	a, _ := newFakeAPI(t, svc)
	for _, subject := range []string{"orders-value", `we"ird\sub` + "\u2028ject", "ünïcode"} {
		rec := serve(a, "GET", "/subjects/"+subjectPath(subject)+"/versions/latest", nil)
		if rec.Code != 200 {
			t.Fatalf("%q: status %d: %s", subject, rec.Code, rec.Body)
		}
		var buf bytes.Buffer
		if err := encodeJSON(&buf, wireSubjectVersion(&registry.SubjectVersion{Subject: subject, Version: 3, SchemaID: 9, Schema: sch})); err != nil {
			t.Fatal(err)
		}
		if rec.Body.String() != buf.String() {
			t.Errorf("%q:\n got %s\nwant %s", subject, rec.Body, buf.String())
		}
		if rec.Header().Get("Cache-Control") != "no-cache" || rec.Header().Get("ETag") == "" {
			t.Errorf("%q: validators %v", subject, rec.Header())
		}
	}
}

// TestRegisteredResponseMatchesEncoder: a remembered re-registration,
// answered without its schema, is completed from the encoded cache byte
// for byte as the encoder writes a fresh answer.
func TestRegisteredResponseMatchesEncoder(t *testing.T) {
	t.Parallel()
	sch := &registry.Schema{
		ID:       9,
		Format:   schema.Avro,
		Text:     `{"type":"record","name":"R","fields":[{"name":"f","type":"string","doc":"\u2028 <&>"}]}`,
		Metadata: json.RawMessage(`{"properties":{"owner":"team-a"}}`),
	}
	for _, version := range []int{0, 3} {
		svc := &fakeService{schema: sch, version: &registry.SubjectVersion{Version: version, SchemaID: 9}}
		a, _ := newFakeAPI(t, svc)
		body, _ := json.Marshal(srapi.RegisterRequest{Schema: sch.Text})
		req := httptest.NewRequest("POST", "/subjects/orders-value/versions", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("version %d: status %d: %s", version, rec.Code, rec.Body)
		}
		var buf bytes.Buffer
		if err := encodeJSON(&buf, srapi.RegisterResponse{ID: 9, Version: version, Schema: wireSchema(sch)}); err != nil {
			t.Fatal(err)
		}
		if rec.Body.String() != buf.String() {
			t.Errorf("version %d:\n got %s\nwant %s", version, rec.Body, buf.String())
		}
		if got := rec.Header().Get("Content-Length"); got != fmt.Sprint(buf.Len()) {
			t.Errorf("version %d: Content-Length %s, want %d", version, got, buf.Len())
		}
	}
}

// subjectPath escapes a subject for a URL path.
func subjectPath(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `quote" back\slash`, "\x00\x01\x1f\b\f\n\r\t", "<&>", "\u2028\u2029", "ünï\U0001F600", "bad\xffutf8\xc3"} {
		assertJSONString(t, s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(assertJSONString)
}

func assertJSONString(t *testing.T, s string) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	if got := appendJSONString(nil, s); string(got) != buf.String() {
		t.Errorf("appendJSONString(%q) = %s, want %s", s, got, buf.String())
	}
}

func TestETagMatches(t *testing.T) {
	t.Parallel()
	const tag = `"abc"`
	tests := []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{` "x" ,W/"abc" `, true},
		{`*`, true},
		{`"abd"`, false},
		{`abc`, false},
		{`"x", "y"`, false},
	}
	for _, tt := range tests {
		if got := etagMatches(tt.header, tag); got != tt.want {
			t.Errorf("etagMatches(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// discardWriter is a reusable ResponseWriter for benchmarks.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchmarkHandler(b *testing.B, target string, header http.Header) {
	sch := *avroSchema
	svc := &fakeService{schema: &sch, version: &registry.SubjectVersion{Version: 1, SchemaID: sch.ID, Schema: &sch}}
	a := New(svc, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	req := httptest.NewRequest("GET", target, nil)
	req.Header = header
	w := &discardWriter{h: make(http.Header)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		a.ServeHTTP(w, req)
	}
}

// BenchmarkGetSchemaByID measures the transport's share of the runtime
// lookup path (the Service answers from memory).
func BenchmarkGetSchemaByID(b *testing.B) {
	benchmarkHandler(b, "/schemas/ids/7", http.Header{})
}

// BenchmarkGetSchemaByIDNotModified is a revalidation answered with 304.
func BenchmarkGetSchemaByIDNotModified(b *testing.B) {
	e, _ := newResponseCache(32<<20).put(avroSchema, 0)
	etag, _ := e.headers()
	benchmarkHandler(b, "/schemas/ids/7", http.Header{"If-None-Match": etag})
}

// BenchmarkGetLatestVersion is GET /subjects/{s}/versions/latest.
func BenchmarkGetLatestVersion(b *testing.B) {
	benchmarkHandler(b, "/subjects/orders-value/versions/latest", http.Header{})
}
