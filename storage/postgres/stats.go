package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/schemata-dev/schemata/migrations"
)

// PoolStats returns a snapshot of the connection pool's statistics, for
// metrics.
func (s *Store) PoolStats() *pgxpool.Stat { return s.pool.Stat() }

// MigrationsApplied returns an error unless every known migration is
// applied to the store's schema (a readiness check: a process that
// skipped migrations must not serve an older schema).
func (s *Store) MigrationsApplied(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close() // returns the connections to the pool, which stays open
	if err := migrations.RequireApplied(ctx, db, migrations.Postgres); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}
