package server

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/registry"
)

// newOps builds the operations layer (auth, TLS, audit, rate limits,
// probes, metrics) over the store and service, and registers the store's
// pool and the service's cache statistics as metrics.
func newOps(cfg Config, log *slog.Logger, m *metrics.Metrics, store registry.Store, svc *registry.Service, handler *api.API, now func() time.Time) (*ops.Ops, error) {
	// Tokens and database users live in the registry's own database when
	// the store can keep them (both shipped stores can).
	authStore, _ := store.(auth.Store)
	layer, err := ops.New(cfg.Ops, ops.Deps{
		Logger:    log,
		Metrics:   m,
		AuthStore: authStore,
		Ready:     ops.StoreChecks(store),
		Now:       now,
	})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if pools, ok := ops.PoolStats(store); ok {
		if err := m.RegisterPools(pools); err != nil {
			return nil, fmt.Errorf("server: pool metrics: %w", err)
		}
	}
	if err := m.RegisterCaches(func() []metrics.CacheStats { return cacheStats(svc, handler) }); err != nil {
		return nil, fmt.Errorf("server: cache metrics: %w", err)
	}
	return layer, nil
}

// cacheStats converts the statistics of the service's caches and the
// HTTP layer's encoded responses for metrics.
func cacheStats(svc *registry.Service, handler *api.API) []metrics.CacheStats {
	in := append(svc.CacheStats(), handler.CacheStats())
	out := make([]metrics.CacheStats, len(in))
	for i, c := range in {
		out[i] = metrics.CacheStats{
			Name: c.Name, Hits: c.Hits, Misses: c.Misses, Evictions: c.Evictions,
			Bytes: c.Bytes, CapacityBytes: c.Capacity,
		}
	}
	return out
}

// serve serves HTTP, or HTTPS when the layer configured TLS.
func (s *Server) serve(ln net.Listener) error {
	if s.ops.TLSConfig() != nil {
		// The certificate comes from TLSConfig.GetCertificate.
		return s.http.ServeTLS(ln, "", "")
	}
	return s.http.Serve(ln)
}
