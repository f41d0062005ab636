// Package servertest starts registries for tests, as net/http/httptest
// starts HTTP servers: Start assembles the real server (store, domain
// service, HTTP API, operations layer, UI) on a free loopback port and
// shuts it down when the test ends.
//
// It also holds what tests of several packages share around a running
// registry: the table of store backends every both-stores test loops
// over (Backends, ForEachBackend), authentication files with users
// (AuthConfigFile), a log sink tests can read (LogBuffer), and requests
// whose answers are read whole (Registry.Send, Do).
//
// servertest is for tests only. It may import every package of the
// module the server does, and the stores' own test kits; nothing but
// tests imports it.
package servertest

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
)

// shutdownTimeout bounds how long a test's registry may take to drain
// when the test ends.
const shutdownTimeout = 10 * time.Second

// Registry is a registry serving for one test.
type Registry struct {
	// Server is the running server: URL() is the base URL clients use.
	*server.Server
	// Store is the store the server serves when one was given (WithStore,
	// WithBackend); nil when the server opened its own from the config.
	Store registry.Store
	// Logs holds what the server logged; nil under WithoutLogs.
	Logs *LogBuffer
}

// Option adjusts the registry Start runs.
type Option func(*settings)

type settings struct {
	cfg        server.Config
	store      registry.Store
	backend    *Backend
	authUsers  []User
	authExtra  string
	auth       bool
	noLogs     bool
	serverOpts []server.Option
}

// WithConfig starts the server with cfg. Start still listens on a free
// loopback port, puts the embedded store under a temporary directory when
// cfg names none, turns the audit trail off unless cfg sets it, and logs
// at debug level unless cfg sets a level.
func WithConfig(cfg server.Config) Option {
	return func(s *settings) { s.cfg = cfg }
}

// WithStore serves store instead of one the server opens from the
// config; the test keeps ownership of it.
func WithStore(store registry.Store) Option {
	return func(s *settings) { s.store = store }
}

// WithBackend serves a fresh store of b.
func WithBackend(b Backend) Option {
	return func(s *settings) { s.backend = &b }
}

// WithAuth turns authentication on, with a configuration file listing
// users followed by extra YAML (see AuthConfigFile).
func WithAuth(users []User, extra string) Option {
	return func(s *settings) { s.auth, s.authUsers, s.authExtra = true, users, extra }
}

// WithoutLogs drops the server's logs unformatted, for benchmarks: their
// logs would only grow, and formatting them would be measured too.
func WithoutLogs() Option {
	return func(s *settings) { s.noLogs = true }
}

// WithServerOptions passes opts to server.New (a clock, say).
func WithServerOptions(opts ...server.Option) Option {
	return func(s *settings) { s.serverOpts = append(s.serverOpts, opts...) }
}

// Start assembles and starts a registry, and shuts it down when the test
// ends. Any failure to start fails the test. When the test fails, the
// server's logs are printed with it.
func Start(t testing.TB, opts ...Option) *Registry {
	t.Helper()
	var s settings
	for _, o := range opts {
		o(&s)
	}
	cfg := s.cfg
	cfg.Listen = "127.0.0.1:0"
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Ops.AuditLog == "" {
		// The audit trail defaults to standard output, which would bury
		// the test's own output.
		cfg.Ops.AuditLog = ops.AuditOff
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "debug"
	}
	if s.auth {
		cfg.Ops.AuthConfigFile = AuthConfigFile(t, s.authUsers, s.authExtra)
	}
	if s.backend != nil {
		s.store = s.backend.NewStore(t)
	}

	r := &Registry{Store: s.store}
	log := slog.New(slog.DiscardHandler)
	if !s.noLogs {
		r.Logs = &LogBuffer{}
		var err error
		if log, err = server.NewLogger(cfg, r.Logs); err != nil {
			t.Fatalf("servertest: %v", err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("registry logs:\n%s", r.Logs)
			}
		})
	}
	serverOpts := append([]server.Option{server.WithLogger(log)}, s.serverOpts...)
	if s.store != nil {
		serverOpts = append(serverOpts, server.WithStore(s.store))
	}
	srv, err := server.New(context.Background(), cfg, serverOpts...)
	if err != nil {
		t.Fatalf("servertest: assemble the registry: %v", err)
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("servertest: start the registry: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("servertest: shut the registry down: %v", err)
		}
	})
	r.Server = srv
	return r
}

// Route is a method and path the registry's router serves.
type Route struct {
	Method string
	// Path is the route's pattern, e.g. /subjects/:subject/versions.
	Path string
}

// Routes lists the REST routes (GET, POST, PUT, DELETE, PATCH) the
// registry's router serves: the API, the operations layer's routes and
// the UI, for tests that hold a table of every route (documentation,
// authorization) to the truth.
func (r *Registry) Routes(t testing.TB) []Route {
	t.Helper()
	a, ok := r.Handler().(*api.API)
	if !ok {
		t.Fatalf("servertest: the server's handler is %T, want *api.API", r.Handler())
	}
	var out []Route
	for _, rt := range a.Echo().Routes() {
		switch rt.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
			out = append(out, Route{Method: rt.Method, Path: rt.Path})
		}
	}
	return out
}
