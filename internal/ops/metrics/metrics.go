// Package metrics exposes the registry's Prometheus metrics: HTTP requests
// by route template, method and status code with latency histograms,
// registrations, compatibility checks and findings by rule ID, cache hits
// and misses, database connection pool statistics, rate-limit refusals,
// and the Go runtime and process collectors.
//
// Metrics live in their own registry (not Prometheus's global one), so
// tests and several servers in one process do not collide.
//
// metrics depends on client_golang and echo only. Callers feed it through
// its methods and the collector functions they register; it imports no
// registry, storage or API package.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric name.
const Namespace = "schemata"

// Metrics holds the registry's collectors. It is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	inFlight      prometheus.Gauge
	registrations *prometheus.CounterVec
	checks        *prometheus.CounterVec
	findings      *prometheus.CounterVec
	rateLimited   prometheus.Counter
}

// New returns Metrics registered in a fresh registry together with the Go
// runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help: "HTTP request latency by route template and method.",
			// From 100µs (a cached lookup) to 10s (a write stuck on a lock).
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		registrations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "registrations_total",
			Help: "Schema registrations by outcome: registered, incompatible, invalid, refused (another client error) or error.",
		}, []string{"outcome"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "compatibility_checks_total",
			Help: "Compatibility verdicts (checks and registrations) by result: compatible or incompatible.",
		}, []string{"result"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "compatibility_findings_total",
			Help: "Compatibility findings by rule ID and severity.",
		}, []string{"rule", "severity"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "rate_limited_requests_total",
			Help: "Requests refused by the per-principal rate limit.",
		}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, m.inFlight, m.registrations, m.checks, m.findings, m.rateLimited,
	)
	return m
}

// Registry returns the Prometheus registry, for extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// unmatched labels requests that matched no route, so that scanning for
// paths cannot create unbounded label values.
const unmatched = "unmatched"

// Middleware records every request. Install it with echo's Pre: it reads
// the route template and status after the rest of the chain has answered.
func (m *Metrics) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		err := next(c)
		if err != nil {
			// Let echo's error handler answer now, so the status is known.
			c.Error(err)
			err = nil
		}
		route := c.Path()
		if route == "" {
			route = unmatched
		}
		method := c.Request().Method
		m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return err
	}
}

// Registration outcomes.
const (
	OutcomeRegistered   = "registered"
	OutcomeIncompatible = "incompatible"
	OutcomeInvalid      = "invalid"
	OutcomeRefused      = "refused"
	OutcomeError        = "error"
)

// ObserveRegistration counts a registration attempt by outcome.
func (m *Metrics) ObserveRegistration(outcome string) {
	m.registrations.WithLabelValues(outcome).Inc()
}

// Finding is what metrics needs of a compatibility finding.
type Finding struct {
	RuleID   string
	Severity string
}

// ObserveCompatibility counts a compatibility verdict and its findings.
func (m *Metrics) ObserveCompatibility(compatible bool, findings []Finding) {
	result := "compatible"
	if !compatible {
		result = "incompatible"
	}
	m.checks.WithLabelValues(result).Inc()
	for _, f := range findings {
		m.findings.WithLabelValues(f.RuleID, f.Severity).Inc()
	}
}

// ObserveRateLimited counts a request refused by the rate limit.
func (m *Metrics) ObserveRateLimited() { m.rateLimited.Inc() }
