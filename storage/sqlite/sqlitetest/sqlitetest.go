// Package sqlitetest opens embedded SQLite stores for tests: each in a
// directory of its own, migrated, and closed when the test ends. It is the
// embedded store's counterpart of pgtest.
//
// sqlitetest is for tests only; it depends on the SQLite store alone.
package sqlitetest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/schemata-dev/schemata/storage/sqlite"
)

// NewStore returns a fresh, migrated store under a temporary directory of
// its own. Closing it when the test ends must succeed: a store that cannot
// close cleanly fails the test.
func NewStore(t testing.TB) *sqlite.Store {
	t.Helper()
	return Open(t, t.TempDir(), sqlite.Options{})
}

// Open opens the store under dir with opts (a discarding logger when
// opts has none), closed when the test ends.
func Open(t testing.TB, dir string, opts sqlite.Options) *sqlite.Store {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := sqlite.Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatalf("sqlitetest: open %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("sqlitetest: close: %v", err)
		}
	})
	return s
}
