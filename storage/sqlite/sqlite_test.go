package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/storage/sqlite"
	"github.com/schemata-dev/schemata/storage/sqlite/sqlitetest"
)

func TestOpenCreatesTheDatabaseFileAndReopens(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	opts := sqlite.Options{Logger: slog.New(slog.DiscardHandler)}

	s, err := sqlite.Open(ctx, dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if err := s.ModeSet(ctx, registry.GlobalSubject, registry.Import); err != nil {
		t.Fatalf("ModeSet: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// Reopening migrates nothing new and finds the data.
	s, err = sqlite.Open(ctx, dir, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	m, err := s.ModeGet(ctx, registry.GlobalSubject)
	if err != nil || m != registry.Import {
		t.Fatalf("ModeGet after reopen = %q, %v; want IMPORT", m, err)
	}
}

func TestWatchEndsWhenStoreCloses(t *testing.T) {
	t.Parallel()
	s, err := sqlite.Open(t.Context(), t.TempDir(), sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(context.Background(), func(registry.Change) {
			select {
			case <-started:
			default:
				close(started)
			}
		})
	}()
	<-started
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Watch after Close returned %v, want nil", err)
	}
}

// TestReadsDoNotWaitForTheWriter holds a write transaction open and reads
// through the Store meanwhile: WAL mode and the read pool let the read
// proceed, seeing the last committed state.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	t.Parallel()
	s := sqlitetest.NewStore(t)
	err := s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
		if err := tx.ModeSet(ctx, "s", registry.ReadOnly); err != nil {
			return err
		}
		readCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := s.ModeGet(readCtx, "s")
		if !errors.Is(err, registry.ErrNotFound) {
			t.Errorf("read during an open write transaction: %v, want ErrNotFound (the uncommitted mode is invisible)", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwoStoresOnOneFileSerialiseWriters opens the same data directory
// twice, as two processes would, and registers into one subject through
// both at once: BEGIN IMMEDIATE and the busy timeout keep versions
// gapless.
func TestTwoStoresOnOneFileSerialiseWriters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stores := []*sqlite.Store{sqlitetest.Open(t, dir, sqlite.Options{}), sqlitetest.Open(t, dir, sqlite.Options{})}
	const perWriter = 10
	var wg sync.WaitGroup
	errs := make(chan error, 4*perWriter)
	for w := range 4 {
		s := stores[w%2]
		wg.Go(func() {
			for i := range perWriter {
				errs <- s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
					sch, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
						Format: schema.Avro, Text: fmt.Sprintf(`"%d-%d"`, w, i), Fingerprint: fmt.Sprintf("%d-%d", w, i),
					}})
					if err != nil {
						return err
					}
					max, err := tx.VersionMax(ctx, "shared")
					if err != nil {
						return err
					}
					_, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: "shared", Version: max + 1, SchemaID: sch.ID})
					return err
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	vs, err := stores[1].VersionList(t.Context(), "shared", true)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Fatalf("version at position %d is %d", i, v.Version)
		}
	}
	if len(vs) != 4*perWriter {
		t.Errorf("%d versions, want %d", len(vs), 4*perWriter)
	}
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
