// Package ops assembles the production-operations layer around the API's
// router: request ids, metrics, the audit trail, authentication and
// authorization, per-principal rate limits, health probes, the OpenAPI
// document, the auth admin API and the server's TLS configuration.
//
// The composition root (server/) builds an Ops from the operator's Config,
// mounts it on the API's echo instance and serves with its TLS config.
// ops depends on the operational packages (auth, audit, health, metrics,
// openapi, ratelimit, requestid) and echo; it must not import the
// registry domain, api, or a storage implementation: stores reach it as
// small interfaces.
package ops

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/api/openapi"
	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authhttp"
	"github.com/schemata-dev/schemata/internal/ops/audit"
	"github.com/schemata-dev/schemata/internal/ops/health"
	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/ops/ratelimit"
	"github.com/schemata-dev/schemata/internal/ops/requestid"
)

// Config is what an operator sets. The zero value serves plain HTTP
// without authentication, audits to standard output and does not limit
// rates.
type Config struct {
	// AuthConfigFile is the authentication configuration (users, client
	// certificates, anonymous access; see auth.Config). Setting it turns
	// authentication and authorization on.
	AuthConfigFile string
	// AuditLog is where audit records go: "stdout" (the default),
	// "stderr", "off", or a file path.
	AuditLog string
	// RateLimit is the sustained requests per second allowed per principal
	// (per client address for anonymous callers); zero is no limit.
	RateLimit float64
	// RateBurst is how many requests a principal may make at once; zero
	// means the rate rounded up.
	RateBurst int
	// TLS: a certificate and key turn HTTPS on (TLS 1.2 or later); a
	// client CA file enables client certificates, with TLSClientAuth
	// "optional" (the default) or "require".
	TLSCertFile     string
	TLSKeyFile      string
	TLSClientCAFile string
	TLSClientAuth   string
}

// AuditOff disables the audit trail.
const AuditOff = "off"

// Deps are what ops needs from the rest of the process.
type Deps struct {
	Logger *slog.Logger
	// Metrics receives every metric; nil builds one.
	Metrics *metrics.Metrics
	// AuthStore keeps API tokens and database users; nil disables both.
	AuthStore auth.Store
	// Ready are the readiness checks (see StoreChecks).
	Ready []health.Check
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
}

// Ops is the assembled operations layer.
type Ops struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics.Metrics
	health  *health.Checker
	audit   *audit.Logger
	authn   *auth.Authenticator
	authMW  *authhttp.Middleware
	limiter *ratelimit.Limiter
	tls     *tls.Config
	now     func() time.Time
}

// New validates cfg and builds the layer. Close releases the audit file.
func New(cfg Config, d Deps) (*Ops, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Metrics == nil {
		d.Metrics = metrics.New()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	o := &Ops{cfg: cfg, log: d.Logger, metrics: d.Metrics, now: d.Now,
		health: health.New(0, d.Logger, d.Ready...)}

	if cfg.AuthConfigFile != "" {
		ac, err := auth.LoadConfig(cfg.AuthConfigFile)
		if err != nil {
			return nil, fmt.Errorf("ops: %w", err)
		}
		aopts, err := ac.Options()
		if err != nil {
			return nil, fmt.Errorf("ops: auth config: %w", err)
		}
		aopts.Store, aopts.Now = d.AuthStore, d.Now
		if o.authn, err = auth.NewAuthenticator(aopts); err != nil {
			return nil, fmt.Errorf("ops: %w", err)
		}
		if o.authMW, err = authhttp.New(authhttp.Options{Authenticator: o.authn, Logger: d.Logger}); err != nil {
			return nil, fmt.Errorf("ops: %w", err)
		}
	}
	if cfg.RateLimit < 0 || cfg.RateBurst < 0 {
		return nil, errors.New("ops: rate limit and burst must not be negative")
	}
	if cfg.RateLimit > 0 {
		o.limiter = ratelimit.New(ratelimit.Options{Rate: cfg.RateLimit, Burst: cfg.RateBurst, Now: d.Now})
	}
	if cfg.TLSCertFile != "" || cfg.TLSKeyFile != "" || cfg.TLSClientCAFile != "" {
		t, err := authhttp.ServerTLSConfig(authhttp.TLSOptions{
			CertFile: cfg.TLSCertFile, KeyFile: cfg.TLSKeyFile,
			ClientCAFile: cfg.TLSClientCAFile, ClientAuth: cfg.TLSClientAuth,
		})
		if err != nil {
			return nil, fmt.Errorf("ops: %w", err)
		}
		o.tls = t
	}
	if cfg.AuditLog != AuditOff {
		a, err := audit.Open(cfg.AuditLog)
		if err != nil {
			return nil, fmt.Errorf("ops: %w", err)
		}
		o.audit = a
	}
	return o, nil
}

// Mount installs the middleware and routes on e. Call it once, after the
// API has registered its routes.
func (o *Ops) Mount(e *echo.Echo) {
	e.Pre(requestid.Middleware, o.metrics.Middleware)
	if o.audit != nil {
		e.Pre(audit.Middleware(o.audit, audit.MiddlewareOptions{Logger: o.log, Now: o.now}))
	}
	if o.authMW != nil {
		e.Use(o.authMW.Handle)
	}
	if o.limiter != nil {
		key := ratelimit.RemoteAddrKey
		if o.authMW != nil {
			key = principalKey
		}
		limit := ratelimit.Middleware(o.limiter, key, func(string) { o.metrics.ObserveRateLimited() })
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			limited := limit(next)
			return func(c echo.Context) error {
				if probes[c.Path()] {
					return next(c)
				}
				return limited(c)
			}
		})
	}
	o.health.Routes(e)
	e.GET("/metrics", echo.WrapHandler(o.metrics.Handler()))
	openapi.Routes(e)
	if o.authn != nil {
		authhttp.NewAdmin(o.authn, o.log).Routes(e)
	}
}

// probes are the routes orchestrators and Prometheus poll; rate limits
// never apply to them.
var probes = map[string]bool{"/livez": true, "/readyz": true, "/metrics": true}

// principalKey keys rate limits by the authenticated principal, or by
// client address for anonymous callers, who would otherwise share one
// bucket.
func principalKey(c echo.Context) string {
	if p, ok := auth.FromContext(c.Request().Context()); ok && p.Method != auth.MethodAnonymous {
		return "principal:" + p.Name
	}
	return ratelimit.RemoteAddrKey(c)
}

// Metrics returns the metrics the layer records.
func (o *Ops) Metrics() *metrics.Metrics { return o.metrics }

// TLSConfig returns the server's TLS configuration, nil for plain HTTP.
func (o *Ops) TLSConfig() *tls.Config { return o.tls }

// AuthEnabled reports whether requests are authenticated.
func (o *Ops) AuthEnabled() bool { return o.authMW != nil }

// ForgetCredentials drops every cached credential; the server calls it
// when the store reports that a credential changed, possibly on another
// instance.
func (o *Ops) ForgetCredentials() {
	if o.authn != nil {
		o.authn.ForgetAll()
	}
}

// Drain makes readiness fail, so load balancers stop routing here before
// the server stops accepting connections.
func (o *Ops) Drain() { o.health.Drain() }

// Close closes the audit file, if any.
func (o *Ops) Close() error {
	if o.audit == nil {
		return nil
	}
	return o.audit.Close()
}

// StoreChecks returns the readiness checks of a store: it answers (Ping)
// and, when it can tell, every migration is applied.
func StoreChecks(store interface{ Ping(context.Context) error }) []health.Check {
	checks := []health.Check{{Name: "store", Fn: store.Ping}}
	if m, ok := store.(interface{ MigrationsApplied(context.Context) error }); ok {
		checks = append(checks, health.Check{Name: "migrations", Fn: m.MigrationsApplied})
	}
	return checks
}

// PoolStats returns a function reporting the connection pools of store
// for metrics, and false when the store exposes none.
func PoolStats(store any) (func() []metrics.PoolStats, bool) {
	switch s := store.(type) {
	case interface{ PoolStats() map[string]sql.DBStats }:
		return func() []metrics.PoolStats {
			var out []metrics.PoolStats
			for name, st := range s.PoolStats() {
				out = append(out, metrics.PoolStats{
					Name: name, MaxOpen: st.MaxOpenConnections, Open: st.OpenConnections,
					InUse: st.InUse, Idle: st.Idle, WaitCount: st.WaitCount, WaitDuration: st.WaitDuration,
				})
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
			return out
		}, true
	case interface{ PoolStats() *pgxpool.Stat }:
		return func() []metrics.PoolStats {
			st := s.PoolStats()
			return []metrics.PoolStats{{
				Name: "postgres", MaxOpen: int(st.MaxConns()), Open: int(st.TotalConns()),
				InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()),
				WaitCount: st.EmptyAcquireCount(), WaitDuration: st.EmptyAcquireWaitTime(),
			}}
		}, true
	}
	return nil, false
}
