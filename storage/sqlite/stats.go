package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/schemata-dev/schemata/migrations"
)

// PoolStats returns the statistics of the store's two connection pools,
// keyed "read" and "write", for metrics.
func (s *Store) PoolStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"read": s.read.Stats(), "write": s.write.Stats()}
}

// MigrationsApplied returns an error unless every known migration is
// applied to the database (a readiness check: a process that skipped
// migrations must not serve an older schema).
func (s *Store) MigrationsApplied(ctx context.Context) error {
	if err := migrations.RequireApplied(ctx, s.read, migrations.SQLite); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}
