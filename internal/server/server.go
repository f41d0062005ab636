// Package server assembles the registry process: it opens the store
// (PostgreSQL when a database URL is given, else the embedded SQLite store
// under a data directory), builds the domain service with the shipped
// defaults, mounts the HTTP API and serves it with timeouts and a graceful
// shutdown.
//
// server is the composition root: it may import every other package of
// the module except cmd/. Nothing but cmd/ and end-to-end tests imports
// it.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/ops/instrument"
	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/ops/requestid"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// Config is what an operator sets. The zero value of every field means
// its default (see the Default constants).
type Config struct {
	// Listen is the TCP address to serve on; ":0" picks a free port.
	Listen string
	// DatabaseURL selects PostgreSQL (postgres://...). When empty the
	// embedded store under DataDir is used.
	DatabaseURL string
	// DataDir holds the embedded store's database file.
	DataDir string
	// SkipMigrations opens the store without migrating its schema.
	SkipMigrations bool
	// MaxBodyBytes limits request bodies (413 beyond it).
	MaxBodyBytes int64
	// SchemaSearchLimit is the default and largest page of GET /schemas
	// (Confluent's schema.search.default.limit and max.limit); ListLimit
	// that of the /v1 listings. Zero means the api defaults.
	SchemaSearchLimit int
	ListLimit         int
	// HTTP server timeouts; see net/http.Server.
	ReadTimeout       time.Duration
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long Run waits for in-flight requests to
	// drain after its context ends.
	ShutdownTimeout time.Duration
	// ConfluentDefaults makes the global default plain BACKWARD, without
	// the additive-only policy, as Confluent ships.
	ConfluentDefaults bool
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is json or text.
	LogFormat string
	// ServerID names this registry in GET /v1/metadata/id.
	ServerID string
	// MaxHeaderBytes limits the size of request headers; see
	// net/http.Server.
	MaxHeaderBytes int
	// Ops configures authentication and authorization, TLS, the audit
	// trail and rate limits (see package ops).
	Ops ops.Config
	// DisableUI turns the web UI under /ui/ off.
	DisableUI bool
	// Limits bounds the work one schema may cause (see schema.Limits);
	// zero fields take their defaults.
	Limits schema.Limits
	// MaxConcurrentParses bounds parses and checks running at once;
	// zero means GOMAXPROCS. See registry.Options.
	MaxConcurrentParses int
	// ClockOffset shifts the registry's clock (deprecation dates, sunsets,
	// minimum periods, usage and audit times) by this much, so a
	// deprecation lifecycle can be tried in minutes. It is refused unless
	// AllowClockOffset is set too, and logged as a warning at start: it is
	// for demos and staging, never for a registry whose dates matter.
	ClockOffset      time.Duration
	AllowClockOffset bool
	// CacheBytes is the memory budget shared by every in-process cache
	// (see registry.CacheShare for how it is split).
	CacheBytes int64
	// MemoryLimit is the Go runtime's soft memory limit in bytes (see
	// runtime/debug.SetMemoryLimit), which Run sets: 0 derives it from
	// CacheBytes (DerivedMemoryLimit) unless GOMEMLIMIT is set, a
	// negative value leaves the runtime's limit as it is.
	MemoryLimit int64
}

// Defaults of Config's fields.
const (
	DefaultListen            = ":8081"
	DefaultDataDir           = "./data"
	DefaultMaxBodyBytes      = api.DefaultMaxBodyBytes
	DefaultSchemaSearchLimit = api.DefaultSchemaSearchLimit
	DefaultListLimit         = api.DefaultListLimit
	DefaultReadTimeout       = 30 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultLogLevel          = "info"
	DefaultLogFormat         = "json"
	DefaultServerID          = "schemata"
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultCacheBytes        = registry.DefaultCacheBytes
)

// WithDefaults returns c with every unset field set to its default.
func (c Config) WithDefaults() Config {
	set := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.Listen, DefaultListen)
	set(&c.DataDir, DefaultDataDir)
	set(&c.LogLevel, DefaultLogLevel)
	set(&c.LogFormat, DefaultLogFormat)
	set(&c.ServerID, DefaultServerID)
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = DefaultCacheBytes
	}
	setDur(&c.ReadTimeout, DefaultReadTimeout)
	setDur(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	setDur(&c.WriteTimeout, DefaultWriteTimeout)
	setDur(&c.IdleTimeout, DefaultIdleTimeout)
	setDur(&c.ShutdownTimeout, DefaultShutdownTimeout)
	return c
}

// Validate reports the first invalid setting of c (after WithDefaults).
func (c Config) Validate() error {
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	switch strings.ToLower(c.LogFormat) {
	case "json", "text":
	default:
		return fmt.Errorf("invalid log format %q: use json or text", c.LogFormat)
	}
	if c.SchemaSearchLimit < 0 || c.ListLimit < 0 {
		return fmt.Errorf("invalid page limits %d and %d: must be positive", c.SchemaSearchLimit, c.ListLimit)
	}
	if c.MaxBodyBytes < 0 {
		return fmt.Errorf("invalid max body bytes %d: must be positive", c.MaxBodyBytes)
	}
	if c.CacheBytes < registry.MinCacheBytes {
		return fmt.Errorf("invalid cache bytes %d: must be at least %d (1 MiB)", c.CacheBytes, registry.MinCacheBytes)
	}
	for name, n := range map[string]int{
		"max schema bytes": c.Limits.MaxTextBytes, "max schema depth": c.Limits.MaxDepth,
		"max schema definitions": c.Limits.MaxDefinitions, "max schema fields": c.Limits.MaxFields,
		"max schema enum symbols": c.Limits.MaxEnumSymbols, "max schema references": c.Limits.MaxReferences,
		"max concurrent parses": c.MaxConcurrentParses,
	} {
		if n < 0 {
			return fmt.Errorf("invalid %s %d: must not be negative (0 takes the default)", name, n)
		}
	}
	if c.ClockOffset != 0 && !c.AllowClockOffset {
		return fmt.Errorf("clock offset %s shifts every date the registry records and judges: it is for demos and staging only; set allow clock offset (--allow-clock-offset) as well to confirm", FormatOffset(c.ClockOffset))
	}
	for name, d := range map[string]time.Duration{
		"read timeout": c.ReadTimeout, "read header timeout": c.ReadHeaderTimeout,
		"write timeout": c.WriteTimeout, "idle timeout": c.IdleTimeout, "shutdown timeout": c.ShutdownTimeout,
	} {
		if d < 0 {
			return fmt.Errorf("invalid %s %s: must not be negative", name, d)
		}
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("invalid log level %q: use debug, info, warn or error", s)
	}
	return l, nil
}

// NewLogger builds the process logger that cfg describes, writing to w.
func NewLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	cfg = cfg.WithDefaults()
	level, err := parseLevel(cfg.LogLevel)
	if err != nil {
		return nil, err
	}
	hopts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "text") {
		return slog.New(requestid.LogHandler(slog.NewTextHandler(w, hopts))), nil
	}
	return slog.New(requestid.LogHandler(slog.NewJSONHandler(w, hopts))), nil
}

// Option adjusts how New assembles a Server.
type Option func(*options)

type options struct {
	logger *slog.Logger
	store  registry.Store
	now    func() time.Time
}

// WithLogger sends logs to l instead of a logger built from the config
// on standard error.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithStore serves store instead of opening one from the config. The
// caller keeps ownership: Shutdown does not close it.
func WithStore(store registry.Store) Option {
	return func(o *options) { o.store = store }
}

// shiftedClock returns base (time.Now when nil) moved by offset.
func shiftedClock(base func() time.Time, offset time.Duration) func() time.Time {
	if base == nil {
		base = time.Now
	}
	return func() time.Time { return base().Add(offset) }
}

// ParseOffset parses a clock offset: a number of days ("200d", "-30d") or
// a Go duration ("36h").
func ParseOffset(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > maxOffsetDays || n < -maxOffsetDays {
			return 0, fmt.Errorf("invalid clock offset %q: want days such as 200d (at most %d), or a duration such as 36h", s, maxOffsetDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid clock offset %q: want days such as 200d, or a duration such as 36h", s)
	}
	return d, nil
}

// maxOffsetDays bounds a clock offset in days, far below time.Duration's
// range (about 106,000 days).
const maxOffsetDays = 36500

// FormatOffset renders an offset as ParseOffset reads it: whole days as
// "200d", anything else as a duration.
func FormatOffset(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// WithClock makes the registry read time from now (tests).
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// Server is one registry process: store, service and HTTP server.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     registry.Store
	ownsStore bool
	svc       *registry.Service
	handler   *api.API
	ops       *ops.Ops
	http      *http.Server
	// tls records whether the server serves HTTPS; http.Server's own
	// TLSConfig is filled in by Serve for HTTP/2 and cannot tell.
	tls bool

	mu       sync.Mutex
	ln       net.Listener
	stop     context.CancelFunc // ends the cache watcher
	done     sync.WaitGroup     // the serve loop and the watcher
	serveErr chan error
}

// New opens the store and assembles the server; it does not listen yet.
func New(ctx context.Context, cfg Config, opts ...Option) (*Server, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		l, err := NewLogger(cfg, os.Stderr)
		if err != nil {
			return nil, err
		}
		o.logger = l
	}
	if cfg.ClockOffset != 0 {
		o.now = shiftedClock(o.now, cfg.ClockOffset)
		o.logger.Warn("REGISTRY CLOCK SHIFTED: every date recorded and judged is off by the clock offset; for demos and staging only",
			"clock_offset", FormatOffset(cfg.ClockOffset), "registry_now", o.now().UTC().Format(time.RFC3339))
	}
	s := &Server{cfg: cfg, log: o.logger, store: o.store, serveErr: make(chan error, 1)}
	if s.store == nil {
		store, err := openStore(ctx, cfg, s.log)
		if err != nil {
			return nil, err
		}
		s.store, s.ownsStore = store, true
	}

	defaults := registry.DefaultConfig()
	if cfg.ConfluentDefaults {
		defaults = registry.ConfluentDefaultConfig()
	}
	s.svc = registry.New(s.store, registry.Options{
		Defaults: defaults, Now: o.now, Logger: s.log,
		Limits: cfg.Limits, MaxConcurrentParses: cfg.MaxConcurrentParses,
		CacheBytes: cfg.CacheBytes,
	})
	m := metrics.New()
	handler := api.New(instrument.Wrap(s.svc, m), api.Options{
		Logger:            s.log,
		MaxBodyBytes:      cfg.MaxBodyBytes,
		ServerID:          cfg.ServerID,
		SchemaSearchLimit: cfg.SchemaSearchLimit,
		ListLimit:         cfg.ListLimit,
		Consumers:         instrument.WrapConsumers(s.svc),
		CacheBytes:        cfg.CacheBytes,
	})
	layer, err := newOps(cfg, s.log, m, s.store, s.svc, handler, o.now)
	if err != nil {
		if s.ownsStore {
			err = errors.Join(err, s.store.Close())
		}
		return nil, err
	}
	s.ops = layer
	s.handler = handler
	layer.Mount(handler.Echo())
	if layer.AuthEnabled() {
		handler.Echo().Use(principalToDomain)
	}
	if !cfg.DisableUI {
		mountUI(handler.Echo(), s.svc, layer.AuthEnabled(), s.log, o.now)
	}
	s.http = &http.Server{
		Handler:           handler,
		TLSConfig:         layer.TLSConfig(),
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.tls = s.http.TLSConfig != nil
	return s, nil
}

// Start binds the listen address, waits for the cache watcher to
// subscribe to the store's changes (watchStartWait at most), and serves
// in the background. Addr is valid once Start returns.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return errors.New("server: already started")
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", s.cfg.Listen, err)
	}
	s.ln = ln

	watchCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.done.Add(3)
	// subscribed closes when the watcher's first change, the reset it
	// sends once subscribed, has been applied, or when it stops.
	subscribed := make(chan struct{})
	var once sync.Once
	markSubscribed := func() { once.Do(func() { close(subscribed) }) }
	go func() {
		defer s.done.Done()
		defer markSubscribed()
		// Credentials follow the store's notifications too, so that a
		// revocation on any instance takes effect here within moments.
		forget := func(c registry.Change) {
			if c.Kind == registry.ChangeAuth || c.Kind == registry.ChangeReset {
				s.ops.ForgetCredentials()
			}
			markSubscribed()
		}
		if err := s.svc.Watch(watchCtx, forget); err != nil && watchCtx.Err() == nil {
			s.log.Error("cache watcher stopped", "err", err)
		}
	}()
	// Serve once the watcher follows the store: its first reset would
	// otherwise empty the caches under the first requests, and what they
	// cached before it would be read again.
	select {
	case <-subscribed:
	case <-time.After(watchStartWait):
		s.log.Warn("cache watcher not subscribed yet; serving anyway", "waited", watchStartWait)
	}
	go func() {
		// Runtime schema usage: flushed in batches, and once more at shutdown.
		defer s.done.Done()
		s.svc.RunUsage(watchCtx)
	}()
	go func() {
		defer s.done.Done()
		if err := s.serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr <- err
		}
		close(s.serveErr)
	}()
	s.log.Info("registry listening", "addr", ln.Addr().String(), "store", storeKind(s.cfg),
		"confluent_defaults", s.cfg.ConfluentDefaults, "tls", s.ops.TLSConfig() != nil, "auth", s.ops.AuthEnabled())
	return nil
}

// watchStartWait bounds how long Start waits for the cache watcher to
// subscribe before it serves anyway (the watcher's reset then follows).
const watchStartWait = 5 * time.Second

// Addr is the bound address (host:port), empty before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// URL is the base URL clients use to reach the server, empty before
// Start. An unspecified listen host is reached through loopback.
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(addr)
	scheme := "http://"
	if s.tls {
		scheme = "https://"
	}
	if err != nil {
		return scheme + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return scheme + net.JoinHostPort(host, port)
}

// Handler is the server's HTTP handler, for in-process tests.
func (s *Server) Handler() http.Handler {
	return s.http.Handler
}

// Errors delivers a serve failure, and is closed when serving stops.
func (s *Server) Errors() <-chan error {
	return s.serveErr
}

// Shutdown stops accepting connections, waits for in-flight requests
// until ctx ends, then stops the watcher and closes the store it opened.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	started := s.ln != nil
	s.mu.Unlock()
	var errs []error
	s.ops.Drain()
	if started {
		if err := s.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("server: drain: %w", err))
			_ = s.http.Close()
		}
		s.stop()
		s.done.Wait()
	}
	if s.ownsStore {
		if err := s.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("server: close store: %w", err))
		}
	}
	s.handler.Close()
	if err := s.ops.Close(); err != nil {
		errs = append(errs, fmt.Errorf("server: close audit log: %w", err))
	}
	s.log.Info("registry stopped")
	return errors.Join(errs...)
}

// memoryHeadroom is what the process holds beside its caches: request
// buffers, connection pools, parses in flight and the runtime itself.
const memoryHeadroom = 96 << 20

// DerivedMemoryLimit is the soft memory limit of a process with cache
// budget cacheBytes: the budget plus the headroom the rest of the process
// needs, less what the encoded responses take outside the Go heap
// (api.ResponseCacheBytes), which the limit does not count. Without a
// limit the collector lets the heap grow to twice what is live before it
// runs, so a full cache budget would double in RSS.
func DerivedMemoryLimit(cacheBytes int64) int64 {
	if cacheBytes <= 0 {
		cacheBytes = DefaultCacheBytes
	}
	return cacheBytes + memoryHeadroom - api.ResponseCacheBytes(cacheBytes)
}

// memoryLimit returns the soft memory limit Run sets for cfg, or false
// when it leaves the runtime's own: when asked to, or when GOMEMLIMIT
// (read by the runtime at start) already sets one and cfg does not.
func memoryLimit(cfg Config, getenv func(string) string) (int64, bool) {
	switch {
	case cfg.MemoryLimit > 0:
		return cfg.MemoryLimit, true
	case cfg.MemoryLimit < 0 || getenv("GOMEMLIMIT") != "":
		return 0, false
	}
	return DerivedMemoryLimit(cfg.WithDefaults().CacheBytes), true
}

// gcPercentUnderLimit is the collector's target (GOGC) while Run's memory
// limit holds. The limit, not the percent, is what bounds the heap: with
// the runtime's 100 a registry whose live heap is small collects after
// every few megabytes allocated, which cost a fifth of a registration's
// CPU in profiles; at 400 it collects a quarter as often until the heap
// nears the limit, where the limit takes over.
const gcPercentUnderLimit = 400

// gcPercent returns the GOGC Run sets, or false when it leaves the
// runtime's: when it sets no memory limit, or GOGC is set.
func gcPercent(limitSet bool, getenv func(string) string) (int, bool) {
	if !limitSet || getenv("GOGC") != "" {
		return 0, false
	}
	return gcPercentUnderLimit, true
}

// Run serves cfg until ctx ends or serving fails, then shuts down
// gracefully within cfg.ShutdownTimeout. It sets the process's soft
// memory limit first (Config.MemoryLimit) and, under it, a higher
// collector target (gcPercentUnderLimit) unless GOGC is set.
func Run(ctx context.Context, cfg Config, opts ...Option) error {
	limit, set := memoryLimit(cfg, os.Getenv)
	if set {
		debug.SetMemoryLimit(limit)
	}
	// gogc is the collector's target as GOGC spells it, for the log.
	gogc := os.Getenv("GOGC")
	if percent, ok := gcPercent(set, os.Getenv); ok {
		debug.SetGCPercent(percent)
		gogc = strconv.Itoa(percent)
	} else if gogc == "" {
		gogc = "100"
	}
	s, err := New(ctx, cfg, opts...)
	if err != nil {
		return err
	}
	s.log.Info("memory limit", "bytes", debug.SetMemoryLimit(-1), "derived", set && cfg.MemoryLimit == 0, "gogc", gogc)
	if err := s.Start(); err != nil {
		return errors.Join(err, s.Shutdown(ctx))
	}
	var serveErr error
	select {
	case <-ctx.Done():
		s.log.Info("shutting down", "cause", context.Cause(ctx))
	case serveErr = <-s.Errors():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.WithDefaults().ShutdownTimeout)
	defer cancel()
	return errors.Join(serveErr, s.Shutdown(shutdownCtx))
}
