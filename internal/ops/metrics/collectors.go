package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// CacheStats are a cache's cumulative counts.
type CacheStats struct {
	// Name labels the cache ("schemas_by_id").
	Name      string
	Hits      uint64
	Misses    uint64
	Evictions uint64
	// Bytes is the estimated size of what the cache holds now, and
	// CapacityBytes the most it may hold.
	Bytes         uint64
	CapacityBytes uint64
}

// RegisterCaches exports the caches that stats reports, read at each
// scrape, as schemata_cache_requests_total{cache,result},
// schemata_cache_evictions_total{cache}, schemata_cache_bytes{cache} and
// schemata_cache_capacity_bytes{cache}.
func (m *Metrics) RegisterCaches(stats func() []CacheStats) error {
	return m.reg.Register(&cacheCollector{stats: stats})
}

var (
	cacheRequestsDesc = prometheus.NewDesc(Namespace+"_cache_requests_total",
		"Cache lookups by cache and result (hit or miss).", []string{"cache", "result"}, nil)
	cacheEvictionsDesc = prometheus.NewDesc(Namespace+"_cache_evictions_total",
		"Entries evicted from a cache to make room.", []string{"cache"}, nil)
	cacheBytesDesc = prometheus.NewDesc(Namespace+"_cache_bytes",
		"Estimated bytes a cache holds now.", []string{"cache"}, nil)
	cacheCapacityDesc = prometheus.NewDesc(Namespace+"_cache_capacity_bytes",
		"Bytes of the cache budget a cache may hold.", []string{"cache"}, nil)
)

type cacheCollector struct{ stats func() []CacheStats }

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheRequestsDesc
	ch <- cacheEvictionsDesc
	ch <- cacheBytesDesc
	ch <- cacheCapacityDesc
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.stats() {
		ch <- prometheus.MustNewConstMetric(cacheRequestsDesc, prometheus.CounterValue, float64(s.Hits), s.Name, "hit")
		ch <- prometheus.MustNewConstMetric(cacheRequestsDesc, prometheus.CounterValue, float64(s.Misses), s.Name, "miss")
		ch <- prometheus.MustNewConstMetric(cacheEvictionsDesc, prometheus.CounterValue, float64(s.Evictions), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheBytesDesc, prometheus.GaugeValue, float64(s.Bytes), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheCapacityDesc, prometheus.GaugeValue, float64(s.CapacityBytes), s.Name)
	}
}

// PoolStats are a database connection pool's statistics at one moment.
type PoolStats struct {
	// Name labels the pool ("postgres", or "read" and "write" for the
	// embedded store).
	Name string
	// MaxOpen is the pool's size limit.
	MaxOpen int
	// Open, InUse and Idle count connections now.
	Open  int
	InUse int
	Idle  int
	// WaitCount and WaitDuration are cumulative: how many acquisitions
	// had to wait for a connection, and for how long in total.
	WaitCount    int64
	WaitDuration time.Duration
}

// RegisterPools exports the pools that stats reports, read at each
// scrape, as schemata_db_pool_* metrics labelled by pool.
func (m *Metrics) RegisterPools(stats func() []PoolStats) error {
	return m.reg.Register(&poolCollector{stats: stats})
}

func poolDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc(Namespace+"_db_pool_"+name, help, []string{"pool"}, nil)
}

var (
	poolMaxOpen  = poolDesc("max_connections", "Maximum connections the pool may open.")
	poolOpen     = poolDesc("open_connections", "Connections open now.")
	poolInUse    = poolDesc("in_use_connections", "Connections in use now.")
	poolIdle     = poolDesc("idle_connections", "Idle connections now.")
	poolWaits    = poolDesc("waits_total", "Connection acquisitions that had to wait.")
	poolWaitTime = poolDesc("wait_seconds_total", "Total time spent waiting for a connection.")
)

type poolCollector struct{ stats func() []PoolStats }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMaxOpen, poolOpen, poolInUse, poolIdle, poolWaits, poolWaitTime} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.stats() {
		ch <- prometheus.MustNewConstMetric(poolMaxOpen, prometheus.GaugeValue, float64(s.MaxOpen), s.Name)
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.Open), s.Name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse), s.Name)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle), s.Name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), s.Name)
		ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.WaitDuration.Seconds(), s.Name)
	}
}
