package api_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/schema"
)

// withoutConsumers hides the consumer features of a Service, so the
// lookup routes run without deprecation headers or usage recording.
type withoutConsumers struct{ api.Service }

// BenchmarkLookupByIDUsage measures GET /schemas/ids/{id} through the
// handler with and without runtime usage recording (and the deprecation
// header check), from parallel clients with distinct client ids.
func BenchmarkLookupByIDUsage(b *testing.B) {
	store := servertest.SQLite.NewStore(b)
	svc := registry.New(store, registry.Options{Logger: slog.New(slog.DiscardHandler)})
	v, err := svc.Register(b.Context(), registry.RegisterParams{Subject: "orders-value", Schema: registry.SchemaInput{Format: schema.Avro, Text: orderV1}})
	if err != nil {
		b.Fatal(err)
	}
	path := fmt.Sprintf("/schemas/ids/%d", v.SchemaID)
	for _, bc := range []struct {
		name string
		svc  api.Service
	}{
		{"WithoutRecorder", withoutConsumers{svc}},
		{"WithRecorder", svc},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := api.New(bc.svc, api.Options{Logger: slog.New(slog.DiscardHandler)})
			b.ReportAllocs()
			var clients atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("X-Client-Id", fmt.Sprintf("client-%d", clients.Add(1)%8))
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// BenchmarkConsumerListPage measures one page (50) of GET /v1/consumers
// from the middle of tables of different sizes: the store reads the page,
// so the bytes allocated per request follow the page, not the table.
func BenchmarkConsumerListPage(b *testing.B) {
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprintf("Consumers%d", n), func(b *testing.B) {
			store := servertest.SQLite.NewStore(b)
			svc := registry.New(store, registry.Options{Logger: slog.New(slog.DiscardHandler)})
			if _, err := svc.Register(b.Context(), registry.RegisterParams{Subject: "orders-value", Schema: registry.SchemaInput{Format: schema.Avro, Text: orderV1}}); err != nil {
				b.Fatal(err)
			}
			for i := range n {
				c := registry.Consumer{Name: fmt.Sprintf("c-%05d", i), Owner: "o", Reads: []registry.ConsumerRead{{Subject: "orders-value", Fields: []string{"id"}}}}
				if _, err := svc.PutConsumer(b.Context(), c); err != nil {
					b.Fatal(err)
				}
			}
			h := api.New(svc, api.Options{Logger: slog.New(slog.DiscardHandler)})
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/v1/consumers?offset=%d&limit=50", n/2), nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
