package sqlite_test

import (
	"context"
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/storage/sqlite"
	"github.com/schemata-dev/schemata/storage/sqlite/sqlitetest"
)

func TestAuthStore(t *testing.T) {
	t.Parallel()
	authtest.RunStoreTests(t, func(t *testing.T) auth.Store { return sqlitetest.NewStore(t) })
}

func TestOperationalHooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqlitetest.NewStore(t)
	if err := s.MigrationsApplied(ctx); err != nil {
		t.Errorf("MigrationsApplied on a migrated store: %v", err)
	}
	if st := s.PoolStats(); len(st) != 2 || st["write"].MaxOpenConnections != 1 {
		t.Errorf("PoolStats = %+v, want read and write pools, one writer", st)
	}

	empty := sqlitetest.Open(t, t.TempDir(), sqlite.Options{SkipMigrations: true})
	if err := empty.MigrationsApplied(ctx); err == nil {
		t.Error("MigrationsApplied on an unmigrated store: nil, want an error")
	}
}
