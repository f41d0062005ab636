// Package migrations holds the registry's versioned SQL schema, one
// directory per SQL dialect, and runs it with goose.
//
// Each migration is a numbered SQL file with an Up and a Down section, run
// in its own transaction; goose records applied versions in the
// goose_db_version table. On PostgreSQL a session-level advisory lock makes
// concurrent starts of several registry processes migrate once.
//
// migrations depends on database/sql and goose only; it knows nothing of
// the registry's domain types or of the storage packages that call it.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"path"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Dialect names a SQL dialect that has its own migration directory.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Option configures a migration run.
type Option func(*config)

type config struct {
	logger *slog.Logger
}

// WithLogger sends goose's progress messages to l instead of discarding them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// Result reports one migration applied or rolled back.
type Result struct {
	Version int64
	// Name is the migration's file name.
	Name string
	// Direction is "up" or "down".
	Direction string
	Duration  time.Duration
}

// Migration is one known migration and whether it is applied.
type Migration struct {
	Version int64
	// Name is the migration's file name.
	Name    string
	Applied bool
	// AppliedAt is when the migration was applied; zero when pending.
	AppliedAt time.Time
}

// Up applies every pending migration and returns what it applied, oldest
// first. It is a no-op on an up-to-date database.
func Up(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) ([]Result, error) {
	return apply(ctx, db, d, opts, "up", func(p *goose.Provider) ([]*goose.MigrationResult, error) {
		return p.Up(ctx)
	})
}

// Down rolls back the most recently applied migration. It returns
// [ErrNoNextVersion] when nothing is applied.
func Down(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) (Result, error) {
	p, err := newProvider(ctx, db, d, opts)
	if err != nil {
		return Result{}, err
	}
	res, err := p.Down(ctx)
	if errors.Is(err, goose.ErrNoNextVersion) {
		return Result{}, ErrNoNextVersion
	}
	if err != nil {
		return Result{}, fmt.Errorf("migrations: down: %w", err)
	}
	return results([]*goose.MigrationResult{res})[0], nil
}

// ErrNoNextVersion reports that there is no migration left to roll back.
var ErrNoNextVersion = errors.New("migrations: no migration to roll back")

// DownTo rolls back migrations, newest first, until version is the latest
// applied one; version 0 rolls back everything.
func DownTo(ctx context.Context, db *sql.DB, d Dialect, version int64, opts ...Option) ([]Result, error) {
	return apply(ctx, db, d, opts, fmt.Sprintf("down to %d", version), func(p *goose.Provider) ([]*goose.MigrationResult, error) {
		return p.DownTo(ctx, version)
	})
}

// apply runs one migration operation (named op in its error) with a
// provider over d's directory.
func apply(ctx context.Context, db *sql.DB, d Dialect, opts []Option, op string,
	run func(*goose.Provider) ([]*goose.MigrationResult, error),
) ([]Result, error) {
	p, err := newProvider(ctx, db, d, opts)
	if err != nil {
		return nil, err
	}
	res, err := run(p)
	if err != nil {
		return nil, fmt.Errorf("migrations: %s: %w", op, err)
	}
	return results(res), nil
}

// Status lists every known migration, oldest first, with whether it is
// applied.
func Status(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) ([]Migration, error) {
	p, err := newProvider(ctx, db, d, opts)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: status: %w", err)
	}
	out := make([]Migration, len(st))
	for i, s := range st {
		out[i] = Migration{
			Version:   s.Source.Version,
			Name:      path.Base(s.Source.Path),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		}
	}
	return out, nil
}

// RequireApplied returns nil when every known migration is applied to db,
// and otherwise an error naming the first that is not: a readiness check,
// so that a process that skipped migrations never serves an older schema.
func RequireApplied(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) error {
	st, err := Status(ctx, db, d, opts...)
	if err != nil {
		return err
	}
	for _, m := range st {
		if !m.Applied {
			return fmt.Errorf("migrations: %s is not applied", m.Name)
		}
	}
	return nil
}

// newProvider builds a goose provider over d's embedded directory.
func newProvider(ctx context.Context, db *sql.DB, d Dialect, opts []Option) (*goose.Provider, error) {
	cfg := config{logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	var gd goose.Dialect
	switch d {
	case Postgres:
		gd = goose.DialectPostgres
	case SQLite:
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q", d)
	}
	dir, err := fs.Sub(files, string(d))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	popts := []goose.ProviderOption{
		goose.WithSlog(cfg.logger),
		// Only this package's files: never Go migrations registered
		// globally by some other import.
		goose.WithDisableGlobalRegistry(true),
	}
	if d == Postgres {
		locker, err := postgresLocker(ctx, db)
		if err != nil {
			return nil, err
		}
		popts = append(popts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, dir, popts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// postgresLocker returns a session locker whose advisory lock key is
// derived from the current schema, so registries kept in different schemas
// of one database migrate independently, and which never shares a key with
// goose's default lock or the stores' subject locks (different namespace
// strings).
func postgresLocker(ctx context.Context, db *sql.DB) (lock.SessionLocker, error) {
	var schemaName string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schemaName); err != nil {
		return nil, fmt.Errorf("migrations: read current schema: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("schemata/migrations\x00" + schemaName))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64())),
		// Poll every second for up to five minutes: a migration in another
		// process is short, and a waiting start should notice it ending soon.
		lock.WithLockTimeout(1, 300),
	)
	if err != nil {
		return nil, fmt.Errorf("migrations: session locker: %w", err)
	}
	return locker, nil
}

func results(in []*goose.MigrationResult) []Result {
	out := make([]Result, len(in))
	for i, r := range in {
		out[i] = Result{
			Version:   r.Source.Version,
			Name:      path.Base(r.Source.Path),
			Direction: r.Direction,
			Duration:  r.Duration,
		}
	}
	return out
}
