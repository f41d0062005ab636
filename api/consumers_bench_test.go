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
