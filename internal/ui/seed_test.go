package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
	"github.com/schemata-dev/schemata/schema"
)

// seedStart is when the seeded history begins; seedNow is "now" for the
// pages.
var (
	seedStart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	seedNow   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// orderRecord is the text of the seeded Avro Order record with fields, one
// a line, laid out as a person writes it.
func orderRecord(fields ...string) string {
	return `{
  "type": "record",
  "name": "Order",
  "namespace": "shop",
  "fields": [
    ` + strings.Join(fields, ",\n    ") + `
  ]
}`
}

// The fields the Order versions are made of.
const (
	orderID       = `{"name": "id", "type": "string"}`
	orderAmount   = `{"name": "amount", "type": "double"}`
	orderCurrency = `{"name": "currency", "type": "string"}`
	// orderCurrencyDeprecated is currency deprecated, its sunset passed by
	// seedNow, in favour of currency_code.
	orderCurrencyDeprecated = `{"name": "currency", "type": "string", "default": "EUR",
     "deprecated": {"reason": "ISO code moves to currency_code", "sunset": "2026-02-01", "replacement": "currency_code"}}`
	orderNote         = `{"name": "note", "type": "string", "default": ""}`
	orderCurrencyCode = `{"name": "currency_code", "type": "string", "default": "EUR"}`
	orderChannel      = `{"name": "channel", "type": ["null", "string"], "default": null}`
)

// The seeded Avro subject's versions: v2 adds a field with a default, v3
// deprecates currency (sunset passed by seedNow) in favour of a new field.
var (
	ordersV1 = orderRecord(orderID, orderAmount, orderCurrency)
	ordersV2 = orderRecord(orderID, orderAmount, orderCurrency, orderNote)
	ordersV3 = orderRecord(orderID, orderAmount, orderCurrencyDeprecated, orderNote, orderCurrencyCode)
	// ordersBreaking removes note, which the additive-only policy forbids.
	ordersBreaking = orderRecord(orderID, orderAmount, orderCurrencyDeprecated, orderCurrencyCode)
	// ordersNext adds an optional field: compatible.
	ordersNext = orderRecord(orderID, orderAmount, orderCurrencyDeprecated, orderNote, orderCurrencyCode, orderChannel)
)

// The seeded Protobuf subject's versions: v2 adds a field.
const (
	paymentsV1 = `syntax = "proto3";
package payments.v1;

message Payment {
  string id = 1;
  int64 cents = 2;
}
`
	paymentsV2 = `syntax = "proto3";
package payments.v1;

message Payment {
  string id = 1;
  int64 cents = 2;
  string memo = 3;
}
`
)

// Seeded names.
const (
	ordersSubject   = "orders-value"
	paymentsSubject = "payments.v1.Payment-value"
	bulkPrefix      = "bulk-"
	bulkSubjects    = 60
)

// fixture is a registry seeded with real data behind the UI, served over
// real HTTP.
type fixture struct {
	svc *registry.Service
	// clk is the clock the registry and the UI share.
	clk *clocktest.Clock
	srv *httptest.Server
	// ordersIDs are the schema ids of orders-value v1..v3.
	ordersIDs []int
}

// newFixture seeds a registry on backend and serves the UI with opts
// (BasePath /ui; Now and Logger are filled in).
func newFixture(t testing.TB, backend servertest.Backend, opts ui.Options) *fixture {
	t.Helper()
	return newWrappedFixture(t, backend, opts, nil)
}

// newWrappedFixture is newFixture with middleware in front of the UI.
func newWrappedFixture(t testing.TB, backend servertest.Backend, opts ui.Options, wrap func(http.Handler) http.Handler) *fixture {
	t.Helper()
	clk := clocktest.New(seedStart)
	svc := registry.New(backend.NewStore(t), registry.Options{Now: clk.Now, Logger: slog.New(slog.DiscardHandler)})
	f := &fixture{svc: svc, clk: clk}
	f.seed(t)
	clk.Set(seedNow)

	opts.Now = clk.Now
	opts.Logger = slog.New(slog.DiscardHandler)
	mux := http.NewServeMux()
	var h http.Handler = ui.New(svc, opts)
	if wrap != nil {
		h = wrap(h)
	}
	mux.Handle("/ui/", h)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	day := 24 * time.Hour
	register := func(subject string, format schema.Format, text string) *registry.SubjectVersion {
		t.Helper()
		v, err := f.svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: registry.SchemaInput{Format: format, Text: text}})
		if err != nil {
			t.Fatalf("register %s: %v", subject, err)
		}
		return v
	}
	for i, text := range []string{ordersV1, ordersV2, ordersV3} {
		f.clk.Set(seedStart.Add(time.Duration(i) * 10 * day))
		f.ordersIDs = append(f.ordersIDs, register(ordersSubject, schema.Avro, text).SchemaID)
	}
	f.clk.Set(seedStart.Add(2 * day))
	register(paymentsSubject, schema.Protobuf, paymentsV1)
	f.clk.Set(seedStart.Add(25 * day))
	register(paymentsSubject, schema.Protobuf, paymentsV2)
	f.clk.Set(seedStart.Add(26 * day))
	for i := range bulkSubjects {
		register(fmt.Sprintf("%s%03d", bulkPrefix, i), schema.Avro, fmt.Sprintf(`{"type":"record","name":"Bulk%d","fields":[{"name":"n","type":"int"}]}`, i))
	}

	consumers := []registry.Consumer{
		{
			Name: "billing-etl", Owner: "team-billing", Labels: map[string]string{"env": "prod"},
			Reads: []registry.ConsumerRead{{Subject: ordersSubject, Fields: []string{"amount", "currency"}, Backfill: 60 * day}},
		},
		{
			Name: "ledger", Owner: "team-ledger",
			Reads: []registry.ConsumerRead{{Subject: paymentsSubject, Fields: []string{"payments.v1.Payment.cents", "payments.v1.Payment.memo"}, Backfill: 7 * day}},
		},
	}
	for _, c := range consumers {
		if _, err := f.svc.PutConsumer(ctx, c); err != nil {
			t.Fatalf("put consumer %s: %v", c.Name, err)
		}
	}
	f.clk.Set(seedStart.Add(30 * day))
	if _, err := f.svc.Deprecate(ctx, registry.DeprecationRecord{
		Subject: paymentsSubject, Path: "payments.v1.Payment.memo", Reason: "free text leaks personal data",
		Sunset: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
	}, registry.DeprecateOptions{}); err != nil {
		t.Fatalf("deprecate memo: %v", err)
	}
	f.clk.Set(seedStart.Add(40 * day))
	f.svc.RecordUsage(registry.Identity{Source: registry.FromClientID, Name: "billing-prod"}, registry.SchemaKey{ID: f.ordersIDs[2]})
	if err := f.svc.FlushUsage(ctx); err != nil {
		t.Fatalf("flush usage: %v", err)
	}
}

// url is the address of a UI path on the fixture's server.
func (f *fixture) url(path string) string { return f.srv.URL + path }

// get fetches path and returns the status and body.
func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	return do(t, f.srv.Client(), http.MethodGet, f.url(path), nil, nil)
}

// postForm posts a urlencoded form.
func (f *fixture) postForm(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	return do(t, f.srv.Client(), http.MethodPost, f.url(path), strings.NewReader(form.Encode()), formHeader())
}

// formHeader is the header of a urlencoded form post.
func formHeader() http.Header {
	return http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
}

// do sends a request carrying header and returns the status and body.
func do(t *testing.T, c *http.Client, method, u string, body io.Reader, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, b := servertest.Do(t, c, req)
	return resp.StatusCode, string(b)
}
