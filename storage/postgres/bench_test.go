package postgres_test

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/storagetest"
)

// BenchmarkRegister: 8 writers registering new versions (see
// storagetest.BenchmarkRegister), one pool connection per writer.
func BenchmarkRegister(b *testing.B) {
	storagetest.BenchmarkRegister(b, func(b *testing.B) registry.Store {
		return pgtest.NewStore(b, pgtest.WithMaxConns(storagetest.BenchWriters))
	})
}

// BenchmarkLookup: parallel readers of the latest version and its schema
// (see storagetest.BenchmarkLookup).
func BenchmarkLookup(b *testing.B) {
	storagetest.BenchmarkLookup(b, func(b *testing.B) registry.Store { return pgtest.NewStore(b) })
}
