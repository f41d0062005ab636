package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	dto "github.com/prometheus/client_model/go"

	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/ops/metrics/metricstest"
)

func scrape(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	return metricstest.Scrape(t, m.Handler())
}

// sample returns the value of the series of family with exactly labels.
func sample(mfs map[string]*dto.MetricFamily, family string, labels map[string]string) (float64, bool) {
	for _, m := range mfs[family].GetMetric() {
		if len(m.GetLabel()) != len(labels) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if labels[l.GetName()] != l.GetValue() {
				match = false
			}
		}
		if !match {
			continue
		}
		if v, ok := metricstest.Value(m); ok {
			return v, true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	e := echo.New()
	e.Pre(m.Middleware)
	e.GET("/subjects/:subject", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	for _, target := range []string{"/subjects/a", "/subjects/b", "/scan/1", "/scan/2"} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}
	m.ObserveRegistration(metrics.OutcomeRegistered)
	m.ObserveCompatibility(false, []metrics.Finding{{RuleID: "AVRO_FIELD_ADDED_WITHOUT_DEFAULT", Severity: "error"}})
	m.ObserveRateLimited()
	if err := m.RegisterCaches(func() []metrics.CacheStats {
		return []metrics.CacheStats{{Name: "schemas_by_id", Hits: 9, Misses: 1, Evictions: 2, Bytes: 4096, CapacityBytes: 8192}}
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterPools(func() []metrics.PoolStats {
		return []metrics.PoolStats{{Name: "postgres", MaxOpen: 8, Open: 3, InUse: 1, Idle: 2, WaitCount: 4, WaitDuration: 1500 * time.Millisecond}}
	}); err != nil {
		t.Fatal(err)
	}

	mfs := scrape(t, m)
	tests := []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"schemata_http_requests_total", map[string]string{"route": "/subjects/:subject", "method": "GET", "code": "200"}, 2},
		{"schemata_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "code": "404"}, 2},
		{"schemata_http_request_duration_seconds", map[string]string{"route": "/subjects/:subject", "method": "GET"}, 2},
		{"schemata_registrations_total", map[string]string{"outcome": "registered"}, 1},
		{"schemata_compatibility_checks_total", map[string]string{"result": "incompatible"}, 1},
		{"schemata_compatibility_findings_total", map[string]string{"rule": "AVRO_FIELD_ADDED_WITHOUT_DEFAULT", "severity": "error"}, 1},
		{"schemata_rate_limited_requests_total", map[string]string{}, 1},
		{"schemata_cache_requests_total", map[string]string{"cache": "schemas_by_id", "result": "hit"}, 9},
		{"schemata_cache_requests_total", map[string]string{"cache": "schemas_by_id", "result": "miss"}, 1},
		{"schemata_cache_evictions_total", map[string]string{"cache": "schemas_by_id"}, 2},
		{"schemata_cache_bytes", map[string]string{"cache": "schemas_by_id"}, 4096},
		{"schemata_cache_capacity_bytes", map[string]string{"cache": "schemas_by_id"}, 8192},
		{"schemata_db_pool_in_use_connections", map[string]string{"pool": "postgres"}, 1},
		{"schemata_db_pool_wait_seconds_total", map[string]string{"pool": "postgres"}, 1.5},
	}
	for _, tt := range tests {
		got, ok := sample(mfs, tt.family, tt.labels)
		if !ok || got != tt.want {
			t.Errorf("%s%v = %v (present %v), want %v", tt.family, tt.labels, got, ok, tt.want)
		}
	}
}
