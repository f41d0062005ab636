// Package postgres is the registry.Store for PostgreSQL, the backend for
// deployments that run several registry processes over one database. It
// uses pgx (pgxpool) directly; migrations run through database/sql on the
// same pool.
//
// The queries and store logic are storage/sqlstore's, shared with the
// embedded store; this package supplies what is PostgreSQL's own: the
// connection setup, the sqlstore.Conn (advisory locks, the schema id
// sequence, pg_notify), the sqlstore.Dialect (SQLSTATE codes, json_agg),
// the retry of serialization failures and the LISTEN-based Watch.
//
// Writers of one subject serialise on a transaction-scoped advisory lock;
// changes are published with pg_notify inside the writing transaction, so
// they are delivered on commit, to every process, and never on rollback.
// A registry lives in the pool's current schema (the first schema of its
// search_path): locks and notifications are namespaced by it, so several
// registries can share a database.
//
// postgres imports the registry domain, the migrations and sqlstore; it
// must not be imported by the domain, nor depend on other storage
// implementations or on the HTTP layer.
package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/migrations"
	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// Options configure New and Open.
type Options struct {
	// SkipMigrations leaves the schema as it is instead of migrating it to
	// the latest version.
	SkipMigrations bool
	Logger         *slog.Logger
}

// Store is the PostgreSQL registry.Store. It is safe for concurrent use.
type Store struct {
	// The registry and auth stores, written once for every SQL backend.
	*sqlstore.Executor
	*sqlstore.Auth
	ns       string
	pool     *pgxpool.Pool
	ownsPool bool
	log      *slog.Logger
	retry    sqlstore.Retry
	// closed ends every Watch and the notifier when the Store is closed.
	closed context.Context
	close  context.CancelFunc
	notes  *notifier
}

var (
	_ registry.Store = (*Store)(nil)
	_ auth.Store     = (*Store)(nil)
)

// New returns a Store over pool, migrating the pool's current schema
// first unless opts.SkipMigrations. The caller keeps ownership of pool:
// Close does not close it.
func New(ctx context.Context, pool *pgxpool.Pool, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if !opts.SkipMigrations {
		db := stdlib.OpenDBFromPool(pool)
		_, err := migrations.Up(ctx, db, migrations.Postgres, migrations.WithLogger(opts.Logger))
		// Closing db releases its connections back to pool, which stays open.
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
	}
	var ns string
	if err := pool.QueryRow(ctx, "SELECT current_schema()").Scan(&ns); err != nil {
		return nil, fmt.Errorf("postgres: read current schema: %w", translate(err))
	}
	reset, err := encodeChange(ns, registry.Change{Kind: registry.ChangeReset})
	if err != nil {
		return nil, err
	}
	closed, cancel := context.WithCancel(context.Background())
	notes := newNotifier(pool, opts.Logger, reset)
	go notes.run(closed)
	c := &conn{db: pool, pool: pool, notes: notes, ns: ns}
	return &Store{
		Executor: sqlstore.NewExecutor(c, dialect{}),
		Auth:     sqlstore.NewAuth(c, dialect{}),
		ns:       ns,
		pool:     pool,
		log:      opts.Logger,
		retry: sqlstore.Retry{
			Attempts:  5,
			Retryable: retryable,
			Backoff: func(attempt int) time.Duration {
				return time.Duration(attempt)*5*time.Millisecond + rand.N(5*time.Millisecond)
			},
			Logger:  opts.Logger,
			Level:   slog.LevelDebug,
			Message: "postgres: retrying transaction",
		},
		closed: closed,
		close:  cancel,
		notes:  notes,
	}, nil
}

// Open connects to the database at url (a PostgreSQL URL or keyword/value
// string, as pgxpool.ParseConfig takes) and returns a Store that owns the
// pool.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s, err := New(ctx, pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.ownsPool = true
	return s, nil
}

// InTx runs fn in one transaction, committing when fn returns nil; a
// serialization failure or deadlock (SQLSTATE 40001, 40P01) reruns fn in
// a new transaction, up to 5 attempts with jittered backoff, so that the
// transactions that collided do not collide again. Changes queued with
// Notify are delivered when the transaction commits.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, tx registry.Executor) error) error {
	return s.RunTx(ctx, s.retry, fn)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close ends every Watch, sends the notifications still queued and, when
// the Store was made by Open, closes its pool.
func (s *Store) Close() error {
	s.close()
	<-s.notes.done
	if s.ownsPool {
		s.pool.Close()
	}
	return nil
}

// Pool returns the pool the Store runs on.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// The pool satisfies dbtx (and so does *tx).
var _ dbtx = (*pgxpool.Pool)(nil)
