package postgres

import (
	"log/slog"
	"slices"
	"testing"
)

// TestNotifierBoundsItsQueue checks that notifications the database does
// not take meanwhile cost bounded memory: past the bound, one reset stands
// for all of them.
func TestNotifierBoundsItsQueue(t *testing.T) {
	t.Parallel()
	n := newNotifier(nil, slog.New(slog.DiscardHandler), "reset")
	for range maxPendingNotifications {
		n.add("change")
	}
	if len(n.pending) != maxPendingNotifications || n.pending[0] != "change" {
		t.Fatalf("queued %d, want %d changes", len(n.pending), maxPendingNotifications)
	}
	n.add("one more")
	n.add("and another")
	if want := []string{"reset", "and another"}; !slices.Equal(n.pending, want) {
		t.Errorf("after overflowing, queue = %q, want %q", n.pending, want)
	}
}
