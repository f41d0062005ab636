package postgres_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// TestOpenMigratesAndOwnsThePool opens a store by URL on an empty schema:
// Open migrates it, and Close closes the pool it made.
func TestOpenMigratesAndOwnsThePool(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	ns := pgtest.Schema(pgtest.NewEmptyPool(t))

	s, err := postgres.Open(ctx, withSearchPath(pgtest.URL(), ns), postgres.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.ModeSet(ctx, registry.GlobalSubject, registry.ReadOnly); err != nil {
		t.Fatalf("ModeSet on a freshly migrated schema: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Pool().Ping(ctx); err == nil {
		t.Error("the pool Open made is still usable after Close")
	}
}

// withSearchPath adds a search_path setting to a connection string, URL or
// keyword/value.
func withSearchPath(conn, ns string) string {
	if !strings.HasPrefix(conn, "postgres://") && !strings.HasPrefix(conn, "postgresql://") {
		return conn + " search_path=" + ns
	}
	sep := "?"
	if strings.Contains(conn, "?") {
		sep = "&"
	}
	return conn + sep + "search_path=" + url.QueryEscape(ns)
}

// TestWatchReconnects kills the listening connection: Watch must come back
// on its own, tell the caller with a reset, and deliver later changes.
func TestWatchReconnects(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	s, err := postgres.New(t.Context(), pool, postgres.Options{SkipMigrations: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer s.Close()

	ctx, cancel := context.WithCancel(t.Context())
	changes := make(chan registry.Change, 10)
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, func(c registry.Change) { changes <- c }) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch returned %v", err)
		}
	}()
	next := func() registry.Change {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no change within 10s")
			return registry.Change{}
		}
	}

	if c := next(); c.Kind != registry.ChangeReset {
		t.Fatalf("first change = %+v, want a reset", c)
	}
	var killed int
	err = pool.QueryRow(t.Context(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`,
		postgres.WatchApplicationName(pgtest.Schema(pool))).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminating the listener: killed %d, err %v", killed, err)
	}
	if c := next(); c.Kind != registry.ChangeReset {
		t.Fatalf("first change after the connection was lost = %+v, want a reset", c)
	}
	want := registry.Change{Subject: "after", Kind: registry.ChangeVersions}
	if err := s.Notify(t.Context(), want); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	if c := next(); c != want {
		t.Errorf("change after reconnecting = %+v, want %+v", c, want)
	}
}

// TestWatchIgnoresOtherRegistries checks that two registries sharing a
// database through different schemas do not see each other's changes.
func TestWatchIgnoresOtherRegistries(t *testing.T) {
	t.Parallel()
	mine, other := pgtest.NewStore(t), pgtest.NewStore(t)

	ctx, cancel := context.WithCancel(t.Context())
	changes := make(chan registry.Change, 10)
	done := make(chan error, 1)
	go func() { done <- mine.Watch(ctx, func(c registry.Change) { changes <- c }) }()
	defer func() { cancel(); <-done }()
	<-changes // the opening reset

	if err := other.Notify(t.Context(), registry.Change{Subject: "theirs", Kind: registry.ChangeVersions}); err != nil {
		t.Fatal(err)
	}
	want := registry.Change{Subject: "ours", Kind: registry.ChangeVersions}
	if err := mine.Notify(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-changes:
		if c != want {
			t.Errorf("change = %+v, want %+v (and nothing from the other registry)", c, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no change within 10s")
	}
}

// TestInTxRetriesDeadlocks makes two transactions take two subject locks
// in opposite orders. PostgreSQL aborts one with a deadlock (40P01); InTx
// must rerun it, so both succeed and exactly one callback runs twice. A
// lock travels with the statement after it, so each is followed by one.
func TestInTxRetriesDeadlocks(t *testing.T) {
	t.Parallel()
	s := pgtest.NewStore(t)
	var (
		calls    atomic.Int32
		holding  sync.WaitGroup
		firstRun = [2]atomic.Bool{}
	)
	holding.Add(2)
	lockBoth := func(i int, first, second string) func(ctx context.Context, tx registry.Executor) error {
		return func(ctx context.Context, tx registry.Executor) error {
			calls.Add(1)
			lock := func(subject string) error {
				if err := tx.SubjectLock(ctx, subject); err != nil {
					return err
				}
				if _, err := tx.ModeGet(ctx, subject); err != nil && !errors.Is(err, registry.ErrNotFound) {
					return err
				}
				return nil
			}
			if err := lock(first); err != nil {
				return err
			}
			if firstRun[i].CompareAndSwap(false, true) {
				// Only the first attempts meet here, each holding one lock.
				holding.Done()
				holding.Wait()
			}
			return lock(second)
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- s.InTx(t.Context(), lockBoth(0, "a", "b")) }()
	go func() { errs <- s.InTx(t.Context(), lockBoth(1, "b", "a")) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("InTx: %v", err)
		}
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("callbacks ran %d times, want 3 (one retry after the deadlock)", n)
	}
}

// TestLockFailureNamesItsSubject: a lock is sent with the statement after
// it, and its failure must still say which subject it was waiting for.
func TestLockFailureNamesItsSubject(t *testing.T) {
	t.Parallel()
	s := pgtest.NewStore(t)
	const subject = "orders-value"
	lockAndRead := func(ctx context.Context, tx registry.Executor) error {
		if err := tx.SubjectLock(ctx, subject); err != nil {
			return err
		}
		if _, err := tx.ModeGet(ctx, subject); err != nil && !errors.Is(err, registry.ErrNotFound) {
			return err
		}
		return nil
	}
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
			if err := lockAndRead(ctx, tx); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	// The client gives up while the lock is held elsewhere.
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err := s.InTx(ctx, lockAndRead)
	close(release)
	if err == nil || !strings.Contains(err.Error(), `lock subject "orders-value"`) {
		t.Errorf("InTx past its deadline on a held subject lock: %v, want an error naming the lock", err)
	}
	if err := <-done; err != nil {
		t.Errorf("the transaction holding the lock: %v", err)
	}
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
