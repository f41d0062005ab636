package serde_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

const orderAvsc = `{"type":"record","name":"Order","namespace":"shop","fields":[
  {"name":"id","type":"long"},
  {"name":"note","type":"string","default":""},
  {"name":"comment","type":"string","default":""}]}`

func TestConcurrentMissesShareOneRequest(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "orders-value", orderAvsc)
	rt := &counting{}
	reg := newRegistry(t, url, serde.WithHTTPClient(&http.Client{Transport: rt}))

	const n = 64
	var wg sync.WaitGroup
	start := make(chan struct{})
	got := make([]*serde.Schema, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = reg.SchemaByID(t.Context(), id)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("goroutine %d: %p, %v; want the shared schema %p", i, got[i], errs[i], got[0])
		}
	}
	// One fetch of a cold id: the schema, which subjects use it, and their
	// deprecation records, once each.
	for _, route := range []string{
		fmt.Sprintf("GET /schemas/ids/%d", id),
		fmt.Sprintf("GET /schemas/ids/%d/versions", id),
		"GET /v1/deprecations",
	} {
		if c := rt.get(route); c != 1 {
			t.Errorf("%s sent %d times by %d goroutines, want 1", route, c, n)
		}
	}
	before := rt.total()
	for range 100 {
		if _, err := reg.SchemaByID(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	if rt.total() != before {
		t.Errorf("cache hits sent %d requests", rt.total()-before)
	}
}

func TestCacheStaysWithinItsByteBudget(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	const schemas = 60
	ids := make([]int, schemas)
	for i := range schemas {
		ids[i] = register(t, url, fmt.Sprintf("s%d-value", i), avroRecord(fmt.Sprintf("R%d", i), 10))
	}
	const budget = 16 << 10 // room for a dozen of these schemas
	reg := newRegistry(t, url, serde.WithCacheBytes(budget), serde.WithoutDeprecationDetails())
	one, err := reg.SchemaByID(t.Context(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	// Weights are accounted by the cache's maintenance, after the write.
	eventually(t, func() bool { return reg.CachedBytes() >= uint64(len(one.Schema.Schema)) },
		"one cached schema weighs %d bytes, less than its %d bytes of text", reg.CachedBytes, len(one.Schema.Schema))
	for _, id := range ids {
		s, err := reg.SchemaByID(t.Context(), id)
		if err != nil || s.ID != id {
			t.Fatalf("schema %d = %+v, %v", id, s, err)
		}
	}
	eventually(t, func() bool { w := reg.CachedBytes(); return w <= budget && w > budget/2 },
		"cache holds %d bytes after %d schemas, want at most the budget of %d and more than half of it", reg.CachedBytes, schemas, budget)
}

// eventually fails the test when cond does not hold within a few
// seconds; got is reported with the message.
func eventually(t *testing.T, cond func() bool, format string, got func() uint64, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf(format, append([]any{got()}, args...)...)
		}
	}
}

func TestLatestIsReusedForItsTTL(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	register(t, url, "orders-value", avroRecord("Order", 1))
	rt := &counting{}
	reg := newRegistry(t, url, serde.WithHTTPClient(&http.Client{Transport: rt}),
		serde.WithLatestTTL(time.Hour), serde.WithoutDeprecationDetails())
	v1, err := reg.SchemaByVersion(t.Context(), "orders-value", client.Latest)
	if err != nil || v1.Version != 1 {
		t.Fatalf("latest = %+v, %v", v1, err)
	}
	register(t, url, "orders-value", `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"f0","type":"long"},{"name":"x","type":"int","default":0}]}`)
	again, err := reg.SchemaByVersion(t.Context(), "orders-value", client.Latest)
	if err != nil || again != v1 {
		t.Errorf("latest within the TTL = %+v, %v; want the cached version 1", again, err)
	}
	if n := rt.get("GET /subjects/orders-value/versions/latest"); n != 1 {
		t.Errorf("latest fetched %d times, want 1", n)
	}
	// A Registry with a short TTL sees version 2.
	short := newRegistry(t, url, serde.WithLatestTTL(time.Millisecond), serde.WithoutDeprecationDetails())
	if _, err := short.SchemaByVersion(t.Context(), "orders-value", 1); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := short.SchemaByVersion(t.Context(), "orders-value", client.Latest)
		if err != nil {
			t.Fatal(err)
		}
		if v.Version == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("latest still version %d after its TTL", v.Version)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUnknownIDIsTheRegistrysError(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, startRegistry(t))
	if _, err := reg.SchemaByID(t.Context(), 999); !errors.Is(err, srapi.ErrSchemaNotFound) {
		t.Errorf("unknown id: %v, want ErrSchemaNotFound", err)
	}
}

// deprecate records a deprecation through the registry's API.
func deprecate(t *testing.T, url string, d srapi.Deprecation) {
	t.Helper()
	call(t, http.MethodPost, url+"/v1/deprecations", d, nil)
}

func TestFieldDeprecationReachesTheHook(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "orders-value", orderAvsc)
	deprecate(t, url, srapi.Deprecation{
		Subject: "orders-value", Path: "note", Sunset: "2027-06-01",
		Replacement: "Order.comment", Reason: "free text moves to comment",
	})

	var mu sync.Mutex
	var got []serde.Deprecation
	reg := newRegistry(t, url, serde.WithOnDeprecated(func(_ context.Context, d serde.Deprecation) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	}))
	// A consumer sees it on the by-id lookup of its deserializer.
	s, err := reg.SchemaByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("hook called %d times: %+v, want once", len(got), got)
	}
	d := got[0]
	wantSunset := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	if d.SchemaID != id || d.Subject != "orders-value" || d.Scope != "field" || d.Element != "Order.note" ||
		!d.Sunset.Equal(wantSunset) || d.Replacement != "Order.comment" || d.Reason != "free text moves to comment" || d.Since.IsZero() {
		t.Errorf("deprecation = %+v, want field note of orders-value, sunset %v, replacement Order.comment", d, wantSunset)
	}
	if len(s.Deprecations) != 1 || s.Deprecations[0] != d {
		t.Errorf("schema carries %+v, want what the hook got", s.Deprecations)
	}
}

func TestSubjectDeprecationFromHeadersAlone(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "legacy-value", orderAvsc)
	deprecate(t, url, srapi.Deprecation{Subject: "legacy-value", Sunset: "2027-01-15"})

	tests := []struct {
		name   string
		lookup func(*serde.Registry) (*serde.Schema, error)
	}{
		{"ByID", func(r *serde.Registry) (*serde.Schema, error) { return r.SchemaByID(t.Context(), id) }},
		{"ByVersion", func(r *serde.Registry) (*serde.Schema, error) {
			return r.SchemaByVersion(t.Context(), "legacy-value", 1)
		}},
		{"Latest", func(r *serde.Registry) (*serde.Schema, error) {
			return r.SchemaByVersion(t.Context(), "legacy-value", client.Latest)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []serde.Deprecation
			reg := newRegistry(t, url, serde.WithoutDeprecationDetails(),
				serde.WithOnDeprecated(func(_ context.Context, d serde.Deprecation) { got = append(got, d) }))
			if _, err := tc.lookup(reg); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].SchemaID != id || got[0].Scope != "subject" || got[0].Since.IsZero() ||
				!got[0].Sunset.Equal(time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("deprecations = %+v, want the subject's, from the headers", got)
			}
		})
	}
}

// TestDefaultWarnsOncePerElement decodes many messages of a deprecated
// schema through a Registry whose cache is too small to keep it, so it is
// fetched again and again: one warning, every use counted.
func TestDefaultWarnsOncePerElement(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	register(t, url, "orders-value", orderAvsc)
	deprecate(t, url, srapi.Deprecation{Subject: "orders-value", Path: "note", Sunset: "2027-06-01", Replacement: "Order.comment"})

	var logs servertest.LogBuffer
	reg := newRegistry(t, url, serde.WithCacheBytes(1), serde.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ser, err := serde.NewSerializer(reg, client.Schema{Schema: orderAvsc})
	if err != nil {
		t.Fatal(err)
	}
	de := serde.NewDeserializer(reg)
	const n = 5
	for i := range n {
		b, err := ser.Serialize(t.Context(), "orders", &order{ID: int64(i)})
		if err != nil {
			t.Fatal(err)
		}
		var o order
		if _, err := de.Deserialize(t.Context(), b, &o); err != nil || o.ID != int64(i) {
			t.Fatalf("message %d = %+v, %v", i, o, err)
		}
	}
	out := logs.String()
	if c := strings.Count(out, "reading a deprecated schema element"); c != 1 {
		t.Errorf("%d warnings, want 1:\n%s", c, out)
	}
	for _, want := range []string{"level=WARN", "element=Order.note", "sunset=2027-06-01", "replacement=Order.comment"} {
		if !strings.Contains(out, want) {
			t.Errorf("warning lacks %q:\n%s", want, out)
		}
	}
	ms := reg.Metrics()
	if got := testutil.CollectAndCount(ms[1]); got != 1 {
		t.Errorf("%d use series, want 1", got)
	}
	if got := testutil.ToFloat64(ms[1]); got != 2*n {
		t.Errorf("deprecated uses = %v, want %d (each message serialized and deserialized)", got, 2*n)
	}
}

// slowTransport holds every request until release is closed.
type slowTransport struct{ release chan struct{} }

func (s *slowTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-s.release
	return http.DefaultTransport.RoundTrip(r)
}

func TestCancelledCallerDoesNotFailTheOthers(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "orders-value", orderAvsc)
	slow := &slowTransport{release: make(chan struct{})}
	reg := newRegistry(t, url, serde.WithHTTPClient(&http.Client{Transport: slow}))
	ctx, cancel := context.WithCancel(t.Context())
	first := make(chan error, 1)
	go func() { _, err := reg.SchemaByID(ctx, id); first <- err }()
	second := make(chan error, 1)
	go func() { _, err := reg.SchemaByID(t.Context(), id); second <- err }()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v, want context.Canceled", err)
	}
	close(slow.release)
	if err := <-second; err != nil {
		t.Errorf("the other caller: %v, want the schema", err)
	}
}

// countingFormat is Avro that counts its parses, standing in for a
// format added with WithFormats (JSON Schema).
type countingFormat struct {
	serde.Avro
	parses *atomic.Int32
}

func (f countingFormat) Parse(s client.Schema, deps []serde.Dependency) (serde.Parsed, error) {
	f.parses.Add(1)
	return f.Avro.Parse(s, deps)
}

func TestFormatsArePluggableAndParseOncePerID(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "orders-value", orderAvsc)
	var parses atomic.Int32
	reg := newRegistry(t, url, serde.WithFormats(countingFormat{parses: &parses}))
	de := serde.NewDeserializer(reg)
	msg := append(serde.AppendHeader(nil, id), 2, 0, 0) // id 1, note "", comment ""
	for range 10 {
		var o order
		if _, err := de.Deserialize(t.Context(), msg, &o); err != nil || o.ID != 1 {
			t.Fatalf("deserialize = %+v, %v", o, err)
		}
	}
	if n := parses.Load(); n != 1 {
		t.Errorf("schema parsed %d times, want once", n)
	}
}

// headerRecorder records a header of every request.
type headerRecorder struct {
	name string
	mu   sync.Mutex
	seen map[string]string // path -> header value
}

func (h *headerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen[r.URL.Path] = r.Header.Get(h.name)
	h.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestEveryRequestCarriesTheClientID(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	id := register(t, url, "orders-value", orderAvsc)
	rec := &headerRecorder{name: "X-Client-Id", seen: map[string]string{}}
	reg := newRegistry(t, url, serde.WithClientID("orders-etl-prod"), serde.WithHTTPClient(&http.Client{Transport: rec}))
	if _, err := reg.SchemaByID(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.seen) != 3 {
		t.Errorf("requests = %v, want the schema, its versions and the deprecations", rec.seen)
	}
	for path, got := range rec.seen {
		if got != "orders-etl-prod" {
			t.Errorf("%s sent X-Client-Id %q, want orders-etl-prod", path, got)
		}
	}
}
