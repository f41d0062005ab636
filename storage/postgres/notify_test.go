package postgres_test

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// TestNotificationsOutsideTransactions checks that changes published
// outside a transaction by many callers at once, which the store sends
// in batches after the callers return, all reach another process, and
// that Close sends what is still queued.
func TestNotificationsOutsideTransactions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	publisher := pgtest.NewStore(t)
	watcher, err := postgres.New(ctx, publisher.Pool(), postgres.Options{SkipMigrations: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { watcher.Close() })

	const n = 200
	seen := watchSubjects(t, watcher, 2*n)

	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := publisher.Notify(ctx, registry.Change{Subject: fmt.Sprintf("s%d", i), Kind: registry.ChangeVersions}); err != nil {
				t.Errorf("Notify: %v", err)
			}
		})
	}
	wg.Wait()
	got := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case s := <-seen:
			got[s] = true
		case <-deadline:
			t.Fatalf("received %d of %d changes", len(got), n)
		}
	}
}

// TestCloseSendsQueuedNotifications checks that a change queued just
// before Close still goes out.
func TestCloseSendsQueuedNotifications(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	watcher := pgtest.NewStore(t)
	publisher, err := postgres.New(ctx, watcher.Pool(), postgres.Options{SkipMigrations: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	seen := watchSubjects(t, watcher, 8)
	if err := publisher.Notify(ctx, registry.Change{Subject: "last", Kind: registry.ChangeVersions}); err != nil {
		t.Fatal(err)
	}
	publisher.Close()
	select {
	case s := <-seen:
		if s != "last" {
			t.Errorf("received %q, want last", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the change queued before Close never arrived")
	}
}

// watchSubjects watches st until the test ends and returns, once Watch
// listens, the channel (of capacity size) of the subjects of the changes
// it sees.
func watchSubjects(t *testing.T, st *postgres.Store, size int) <-chan string {
	t.Helper()
	seen := make(chan string, size)
	ready := make(chan struct{})
	go st.Watch(t.Context(), func(c registry.Change) {
		if c.Kind == registry.ChangeReset && c.Subject == "" {
			// Watch's own signal that it (re)connected.
			select {
			case <-ready:
			default:
				close(ready)
			}
			return
		}
		seen <- c.Subject
	})
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not start listening")
	}
	return seen
}
