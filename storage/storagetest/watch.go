package storagetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
)

// watchTimeout bounds every wait for a change to arrive.
const watchTimeout = 10 * time.Second

// startWatch runs s.Watch in a goroutine, waits for its opening
// ChangeReset, and returns the channel of later changes. The watch ends
// with the test.
func startWatch(t *testing.T, s registry.Store) <-chan registry.Change {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	changes := make(chan registry.Change, 100)
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, func(c registry.Change) { changes <- c }) }()
	t.Cleanup(func() {
		cancel()
		awaitWatchEnd(t, done)
	})
	if c := nextChange(t, changes); c.Kind != registry.ChangeReset {
		t.Fatalf("first change = %+v, want a %s", c, registry.ChangeReset)
	}
	return changes
}

func nextChange(t *testing.T, changes <-chan registry.Change) registry.Change {
	t.Helper()
	select {
	case c := <-changes:
		return c
	case <-time.After(watchTimeout):
		t.Fatalf("no change within %v", watchTimeout)
		return registry.Change{}
	}
}

func testWatch(t *testing.T, s registry.Store) {
	ctx := t.Context()
	changes := startWatch(t, s)

	boom := errors.New("boom")
	err := s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		if err := tx.Notify(ctx, registry.Change{Subject: "rolled-back", Kind: registry.ChangeVersions}); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "InTx", err, boom)

	committed := registry.Change{Subject: "committed", Kind: registry.ChangeConfig}
	err = s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		if err := tx.Notify(ctx, committed); err != nil {
			return err
		}
		// Nothing is delivered before commit.
		select {
		case c := <-changes:
			t.Errorf("change %+v delivered before commit", c)
		case <-time.After(200 * time.Millisecond):
		}
		return nil
	})
	mustOK(t, "InTx", err)

	direct := registry.Change{Subject: "direct", Kind: registry.ChangeMode}
	mustOK(t, "Notify outside a transaction", s.Notify(ctx, direct))

	global := registry.Change{Subject: registry.GlobalSubject, Kind: registry.ChangeConfig}
	purged := registry.Change{Subject: "purged", SchemaID: 42, Kind: registry.ChangeVersions}
	err = s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		if err := tx.Notify(ctx, global); err != nil {
			return err
		}
		return tx.Notify(ctx, purged)
	})
	mustOK(t, "InTx", err)

	// Changes of transactions arrive in commit order; the rolled-back
	// one never does. One published outside a transaction arrives after
	// what committed before it was published, but a store may send it
	// after Notify returns (PostgreSQL's batches them), so later commits
	// can overtake it.
	var inTx []registry.Change
	sawDirect := false
	for range 4 {
		switch got := nextChange(t, changes); {
		case got == direct && len(inTx) == 0:
			t.Errorf("change %+v arrived before %+v, committed before it was published", got, committed)
		case got == direct:
			sawDirect = true
		default:
			inTx = append(inTx, got)
		}
	}
	if want := []registry.Change{committed, global, purged}; !slices.Equal(inTx, want) || !sawDirect {
		t.Errorf("changes of transactions = %+v (and the direct one: %v), want %+v and it", inTx, sawDirect, want)
	}
	select {
	case c := <-changes:
		t.Errorf("unexpected change %+v", c)
	case <-time.After(100 * time.Millisecond):
	}
}

func testWatchEnds(t *testing.T, s registry.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(ctx, func(c registry.Change) {
			if c.Kind == registry.ChangeReset {
				close(started)
			}
		})
	}()
	select {
	case <-started:
	case <-time.After(watchTimeout):
		t.Fatal("Watch never delivered its opening reset")
	}
	cancel()
	awaitWatchEnd(t, done)
}

// awaitWatchEnd checks that a Watch whose context was cancelled returns
// nil on done within watchTimeout.
func awaitWatchEnd(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch returned %v when its context ended, want nil", err)
		}
	case <-time.After(watchTimeout):
		t.Error("Watch did not return after its context ended")
	}
}
