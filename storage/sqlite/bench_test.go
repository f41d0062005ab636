package sqlite_test

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/sqlite/sqlitetest"
	"github.com/schemata-dev/schemata/storage/storagetest"
)

// BenchmarkRegister: 8 writers registering new versions (see
// storagetest.BenchmarkRegister); SQLite runs them one at a time.
func BenchmarkRegister(b *testing.B) {
	storagetest.BenchmarkRegister(b, func(b *testing.B) registry.Store { return sqlitetest.NewStore(b) })
}
