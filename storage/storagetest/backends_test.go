package storagetest_test

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/sqlite/sqlitetest"
	"github.com/schemata-dev/schemata/storage/storagetest"
)

// store is what both SQL stores implement: the registry's Store and the
// token store.
type store interface {
	registry.Store
	auth.Store
}

// backends are the store implementations the suites run against, each
// opening a fresh, migrated store closed when the test ends.
var backends = []struct {
	name     string
	newStore func(t *testing.T) store
}{
	{"SQLite", func(t *testing.T) store { return sqlitetest.NewStore(t) }},
	{"PostgreSQL", func(t *testing.T) store { return pgtest.NewStore(t) }},
}

// forEachBackend runs fn once per backend, each as a parallel subtest
// named after the backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, newStore func(t *testing.T) store)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.newStore)
		})
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, newStore func(t *testing.T) store) {
		storagetest.Run(t, func(t *testing.T) registry.Store { return newStore(t) })
	})
}

func TestAuthStore(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, newStore func(t *testing.T) store) {
		authtest.RunStoreTests(t, func(t *testing.T) auth.Store { return newStore(t) })
	})
}
