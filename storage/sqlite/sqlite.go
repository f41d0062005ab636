// Package sqlite is the embedded registry store: a registry.Store kept in
// one SQLite file under a data directory, for single-process deployments
// and development. It uses modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode so reads proceed while a write is in
// progress. Writes are serialised: every write goes through one connection
// whose transactions begin IMMEDIATE, so a transaction holds SQLite's write
// lock from its first statement and SubjectLock needs to do nothing. Reads
// outside a transaction use a separate pool of read-only connections.
// Notify and Watch are in-process: changes reach the watchers of this
// Store after commit, and other processes opening the same file are not
// told about them.
//
// The queries and store logic are storage/sqlstore's, shared with the
// PostgreSQL store; this package supplies what is SQLite's own: the
// connection setup, the sqlstore.Conn (reader pool and single writer,
// in-process notifications), the sqlstore.Dialect (result codes, times
// as fixed-width text, json_group_array) and the retry of busy
// transactions.
//
// sqlite imports the registry domain, the migrations and sqlstore; it must
// not be imported by the domain, nor depend on other storage
// implementations or on the HTTP layer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/migrations"
	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// FileName is the database file Open creates inside the data directory.
const FileName = "registry.db"

// Options configure Open.
type Options struct {
	// SkipMigrations leaves the schema as it is instead of migrating it to
	// the latest version at open.
	SkipMigrations bool
	// BusyTimeout is how long a statement waits for a lock held by another
	// process before failing. Zero means 5s.
	BusyTimeout time.Duration
	// MaxReaders bounds the read-only connection pool. Zero means
	// max(4, GOMAXPROCS).
	MaxReaders int
	Logger     *slog.Logger
}

// Store is the embedded registry.Store. It is safe for concurrent use.
type Store struct {
	// The registry and auth stores, written once for every SQL backend.
	*sqlstore.Executor
	*sqlstore.Auth
	read  *sql.DB // read-only connections, used outside transactions
	write *sql.DB // the single writer connection
	hub   *hub
	log   *slog.Logger
	retry sqlstore.Retry
}

var (
	_ registry.Store = (*Store)(nil)
	_ auth.Store     = (*Store)(nil)
)

// Open opens (creating if needed) dir/registry.db and migrates it to the
// latest schema unless opts.SkipMigrations.
func Open(ctx context.Context, dir string, opts Options) (*Store, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.MaxReaders <= 0 {
		opts.MaxReaders = max(4, runtime.GOMAXPROCS(0))
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}

	busy := fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds())
	write, err := openDB(ctx, path, url.Values{
		"_pragma": {busy, "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)"},
		"_txlock": {"immediate"},
	})
	if err != nil {
		return nil, err
	}
	// One writer connection: writers queue in database/sql instead of
	// spinning on SQLite's busy handler.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	if !opts.SkipMigrations {
		if _, err := migrations.Up(ctx, write, migrations.SQLite, migrations.WithLogger(opts.Logger)); err != nil {
			write.Close()
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}

	read, err := openDB(ctx, path, url.Values{
		"_pragma": {busy, "foreign_keys(1)", "query_only(1)"},
	})
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(opts.MaxReaders)
	read.SetMaxIdleConns(opts.MaxReaders)

	h := newHub()
	c := &conn{r: querier{read}, w: querier{write}, writer: write, publish: h.publish}
	return &Store{
		Executor: sqlstore.NewExecutor(c, dialect{}),
		Auth:     sqlstore.NewAuth(c, dialect{}),
		read:     read,
		write:    write,
		hub:      h,
		log:      opts.Logger,
		retry: sqlstore.Retry{
			Attempts:  3,
			Retryable: isBusy,
			Backoff:   func(attempt int) time.Duration { return time.Duration(attempt) * 50 * time.Millisecond },
			Logger:    opts.Logger,
			Level:     slog.LevelWarn,
			Message:   "sqlite: database busy, retrying transaction",
		},
	}, nil
}

func openDB(ctx context.Context, path string, q url.Values) (*sql.DB, error) {
	dsn := (&url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// InTx runs fn in one IMMEDIATE transaction on the writer connection,
// committing when fn returns nil. Changes queued with Notify reach
// watchers after commit and are dropped on rollback. fn must use tx, not
// the Store, for writes: the Store's writer is busy until fn returns. A
// transaction that found the database busy (another process held the
// write lock past BusyTimeout) is retried, up to 3 attempts.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, tx registry.Executor) error) error {
	return s.RunTx(ctx, s.retry, fn)
}

// Watch calls fn with every change committed through this Store until ctx
// ends or the Store is closed, then returns nil. It blocks: run it in its
// own goroutine. The first call of fn is a registry.ChangeReset, made once
// fn is subscribed, so a caller can tell from it that nothing later is
// missed. fn runs on Watch's goroutine, one change at a time; a watcher too
// slow to keep up receives a ChangeReset in place of the changes it fell
// behind on.
func (s *Store) Watch(ctx context.Context, fn func(registry.Change)) error {
	sub, err := s.hub.subscribe()
	if err != nil {
		return fmt.Errorf("sqlite: watch: %w", err)
	}
	defer s.hub.unsubscribe(sub)
	fn(registry.Change{Kind: registry.ChangeReset})
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.hub.closed:
			return nil
		case <-sub.ready:
			for _, c := range sub.take() {
				fn(c)
			}
		}
	}
}

// Ping checks that the database file can be read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", translate(err))
	}
	return nil
}

// Close ends every Watch and closes the database.
func (s *Store) Close() error {
	s.hub.close()
	return errors.Join(s.read.Close(), s.write.Close())
}
