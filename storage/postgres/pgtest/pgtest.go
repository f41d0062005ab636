// Package pgtest gives each test its own freshly migrated PostgreSQL
// schema, so tests against the PostgreSQL store run in parallel without
// seeing each other's rows.
//
// The database comes from SCHEMATA_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). An unreachable
// database fails the test: it is never skipped.
//
// pgtest is for tests only; it depends on the PostgreSQL store, the
// migrations and pgx.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/schemata-dev/schemata/migrations"
	"github.com/schemata-dev/schemata/storage/postgres"
)

// EnvURL names the environment variable holding the test database URL.
const EnvURL = "SCHEMATA_TEST_DATABASE_URL"

// DefaultURL is the test database used when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test database URL.
func URL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// Option adjusts the pool NewPool and NewStore create.
type Option func(*pgxpool.Config)

// WithMaxConns sets the pool's connection limit (default 4).
func WithMaxConns(n int32) Option {
	return func(c *pgxpool.Config) { c.MaxConns = n }
}

// WithTracer traces every statement the pool's connections run, for
// tests that count or inspect them (see Counter).
func WithTracer(tr pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = tr }
}

// Counter is a pgx.QueryTracer and pgx.BatchTracer counting the round
// trips to the server: each statement sent on its own, transaction
// control (BEGIN, COMMIT) included, and each batch, whose statements
// travel together. The zero Counter is ready to use.
type Counter struct {
	mu   sync.Mutex
	sent []string
}

var (
	_ pgx.QueryTracer = (*Counter)(nil)
	_ pgx.BatchTracer = (*Counter)(nil)
)

func (c *Counter) record(sql string) {
	c.mu.Lock()
	c.sent = append(c.sent, strings.Join(strings.Fields(sql), " "))
	c.mu.Unlock()
}

// TraceQueryStart records one statement.
func (c *Counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.record(d.SQL)
	return ctx
}

// TraceQueryEnd does nothing: a statement counts when it is sent.
func (c *Counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart records a batch as one round trip, its statements
// joined by "; ".
func (c *Counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	sqls := make([]string, len(d.Batch.QueuedQueries))
	for i, q := range d.Batch.QueuedQueries {
		sqls[i] = q.SQL
	}
	c.record(strings.Join(sqls, "; "))
	return ctx
}

// TraceBatchQuery does nothing: the batch counted when it was sent.
func (c *Counter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (c *Counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Take returns the statements sent since the last Take, whitespace
// collapsed, and starts counting afresh.
func (c *Counter) Take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sent
	c.sent = nil
	return out
}

// setupTimeout bounds connecting, creating and migrating a test schema.
const setupTimeout = 30 * time.Second

// NewPool creates a schema named test_<random>, migrates it, and returns
// a pool whose connections use it as their search_path. The pool is
// closed and the schema dropped when the test ends.
func NewPool(t testing.TB, opts ...Option) *pgxpool.Pool {
	t.Helper()
	pool := NewEmptyPool(t, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	if _, err := migrations.Up(ctx, db, migrations.Postgres); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return pool
}

// NewEmptyPool is NewPool without the migrations: the schema is empty.
func NewEmptyPool(t testing.TB, opts ...Option) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	cfg, err := pgxpool.ParseConfig(URL())
	if err != nil {
		t.Fatalf("pgtest: parse %s=%q: %v", EnvURL, URL(), err)
	}
	admin, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatalf("pgtest: cannot reach the test database at %s: %v\n"+
			"Start PostgreSQL (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) "+
			"or point %s at a database this user may create schemas in.", cfg.ConnConfig.Host, err, EnvURL)
	}
	defer admin.Close(ctx)

	name := "test_" + randomHex(8)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create schema %s: %v", name, err)
	}
	t.Cleanup(func() { dropSchema(t, cfg, name) })

	cfg.ConnConfig.RuntimeParams["search_path"] = name
	cfg.MaxConns = 4
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("pgtest: pool for schema %s: %v", name, err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Schema returns the schema a pool from NewPool or NewEmptyPool uses.
func Schema(pool *pgxpool.Pool) string {
	return pool.Config().ConnConfig.RuntimeParams["search_path"]
}

// SchemaURL returns the test database URL with its search_path set to the
// schema of pool (from NewPool or NewEmptyPool), for programs that connect
// by URL: a registry process, the migrate command.
func SchemaURL(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("pgtest: parse %s=%q: %v", EnvURL, URL(), err)
	}
	q := u.Query()
	q.Set("search_path", Schema(pool))
	u.RawQuery = q.Encode()
	return u.String()
}

// NewStore returns a Store over a fresh migrated schema (see NewPool),
// closed when the test ends.
func NewStore(t testing.TB, opts ...Option) *postgres.Store {
	t.Helper()
	pool := NewPool(t, opts...)
	s, err := postgres.New(context.Background(), pool, postgres.Options{
		SkipMigrations: true,
		Logger:         slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dropSchema(t testing.TB, cfg *pgxpool.Config, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Errorf("pgtest: drop schema %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("pgtest: drop schema %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
