package postgres_test

import (
	"context"
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

func TestAuthStore(t *testing.T) {
	t.Parallel()
	authtest.RunStoreTests(t, func(t *testing.T) auth.Store { return pgtest.NewStore(t) })
}

func TestOperationalHooks(t *testing.T) {
	t.Parallel()
	s := pgtest.NewStore(t)
	if err := s.MigrationsApplied(context.Background()); err != nil {
		t.Errorf("MigrationsApplied on a migrated store: %v", err)
	}
	if st := s.PoolStats(); st.MaxConns() <= 0 {
		t.Errorf("PoolStats().MaxConns() = %d, want > 0", st.MaxConns())
	}
}
