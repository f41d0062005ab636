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
	storagetest.BenchmarkRegister(b, newBenchStore)
}

// BenchmarkLookup: parallel readers of the latest version and its schema
// (see storagetest.BenchmarkLookup).
func BenchmarkLookup(b *testing.B) {
	storagetest.BenchmarkLookup(b, newBenchStore)
}

func newBenchStore(b *testing.B) registry.Store { return sqlitetest.NewStore(b) }
