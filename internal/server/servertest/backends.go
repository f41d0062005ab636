package servertest

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/sqlite/sqlitetest"
)

// Backend is a store implementation tests run on.
type Backend struct {
	// Name names the backend in subtest names: SQLite, PostgreSQL.
	Name string
	// NewStore opens a fresh, empty, migrated store, closed when the test
	// ends.
	NewStore func(t testing.TB) registry.Store
	// Config returns a server configuration under which the server opens
	// a fresh store of this backend itself, as a deployed registry does:
	// a data directory, or a database URL selecting an empty schema of
	// its own that the server migrates.
	Config func(t testing.TB) server.Config
}

// SQLite is the embedded store.
var SQLite = Backend{
	Name:     "SQLite",
	NewStore: func(t testing.TB) registry.Store { return sqlitetest.NewStore(t) },
	Config:   func(t testing.TB) server.Config { return server.Config{DataDir: t.TempDir()} },
}

// PostgreSQL is the PostgreSQL store, each test in a schema of its own
// (see pgtest). An unreachable database fails the test; it never skips.
var PostgreSQL = Backend{
	Name:     "PostgreSQL",
	NewStore: func(t testing.TB) registry.Store { return pgtest.NewStore(t) },
	Config: func(t testing.TB) server.Config {
		return server.Config{DatabaseURL: pgtest.SchemaURL(t, pgtest.NewEmptyPool(t))}
	},
}

// Backends returns every store implementation, the embedded one first.
func Backends() []Backend { return []Backend{SQLite, PostgreSQL} }

// ForEachBackend runs fn once per backend, each as a parallel subtest
// named after the backend.
func ForEachBackend(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}
