package server

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/migrations"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

// openStore opens the store cfg selects: PostgreSQL for a database URL,
// else the embedded store under the data directory.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (registry.Store, error) {
	if cfg.DatabaseURL != "" {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{SkipMigrations: cfg.SkipMigrations, Logger: log})
		if err != nil {
			// The URL may carry a password: it is not repeated here.
			return nil, fmt.Errorf("server: open PostgreSQL store: %w", err)
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, cfg.DataDir, sqlite.Options{SkipMigrations: cfg.SkipMigrations, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("server: open embedded store in %s: %w", cfg.DataDir, err)
	}
	return st, nil
}

// storeKind names the store cfg selects, for logs. It never includes the
// database URL, which may carry credentials.
func storeKind(cfg Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// MigrationDB opens the database cfg selects through database/sql, with
// the migrations dialect that applies to it, for running migrations by
// hand (registry migrate). The caller closes it.
func MigrationDB(ctx context.Context, cfg Config) (*sql.DB, migrations.Dialect, error) {
	cfg = cfg.WithDefaults()
	if cfg.DatabaseURL != "" {
		db, err := sql.Open("pgx", cfg.DatabaseURL)
		if err != nil {
			return nil, "", fmt.Errorf("server: open PostgreSQL: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, "", fmt.Errorf("server: connect to PostgreSQL: %w", err)
		}
		return db, migrations.Postgres, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, "", fmt.Errorf("server: create data directory: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(cfg.DataDir, sqlite.FileName))
	if err != nil {
		return nil, "", fmt.Errorf("server: %w", err)
	}
	q := url.Values{"_pragma": {"busy_timeout(5000)", "foreign_keys(1)"}}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, "", fmt.Errorf("server: open %s: %w", path, err)
	}
	// One connection: SQLite migrations must not interleave.
	db.SetMaxOpenConns(1)
	return db, migrations.SQLite, nil
}
