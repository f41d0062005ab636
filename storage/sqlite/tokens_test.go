package sqlite_test

import (
	"context"
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

func TestAuthStore(t *testing.T) {
	t.Parallel()
	authtest.RunStoreTests(t, func(t *testing.T) auth.Store {
		s, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestOperationalHooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.MigrationsApplied(ctx); err != nil {
		t.Errorf("MigrationsApplied on a migrated store: %v", err)
	}
	if st := s.PoolStats(); len(st) != 2 || st["write"].MaxOpenConnections != 1 {
		t.Errorf("PoolStats = %+v, want read and write pools, one writer", st)
	}

	empty, err := sqlite.Open(ctx, t.TempDir(), sqlite.Options{SkipMigrations: true})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if err := empty.MigrationsApplied(ctx); err == nil {
		t.Error("MigrationsApplied on an unmigrated store: nil, want an error")
	}
}
