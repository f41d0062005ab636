package sqlite_test

import (
	"log/slog"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/sqlite"
	"github.com/schemata-dev/schemata/storage/storagetest"
)

// BenchmarkRegister: 8 writers registering new versions (see
// storagetest.BenchmarkRegister); SQLite runs them one at a time.
func BenchmarkRegister(b *testing.B) {
	storagetest.BenchmarkRegister(b, openBench)
}

// BenchmarkLookup: parallel readers of the latest version and its schema
// (see storagetest.BenchmarkLookup).
func BenchmarkLookup(b *testing.B) {
	storagetest.BenchmarkLookup(b, openBench)
}

func openBench(b *testing.B) registry.Store {
	s, err := sqlite.Open(b.Context(), b.TempDir(), sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatalf("sqlite.Open: %v", err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
