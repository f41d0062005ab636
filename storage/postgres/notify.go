package postgres

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// maxPendingNotifications bounds the notifications waiting to be sent
// while the database does not take them: past it they are replaced by
// one that tells every process to drop all it caches.
const maxPendingNotifications = 10_000

// sendTimeout bounds one send, and so how long Close waits for the last.
const sendTimeout = 5 * time.Second

// notifier sends the notifications published outside a transaction (a
// registration's, told after its commit) from one goroutine: whatever
// accumulated while the previous statement ran goes in the next one, so
// under load many registrations share a statement, and none waits for
// its own.
type notifier struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	// reset is the payload that stands for an overflowing queue.
	reset string

	mu      sync.Mutex
	pending []string
	wake    chan struct{}
	done    chan struct{}
}

func newNotifier(pool *pgxpool.Pool, log *slog.Logger, reset string) *notifier {
	return &notifier{pool: pool, log: log, reset: reset, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// add queues payload for the next send.
func (n *notifier) add(payload string) {
	n.mu.Lock()
	if len(n.pending) >= maxPendingNotifications {
		n.pending = append(n.pending[:0], n.reset)
	} else {
		n.pending = append(n.pending, payload)
	}
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// run sends until ctx ends, then sends what is left and closes done.
// Each send has its own deadline rather than ctx, so that closing the
// Store never cuts a batch short.
func (n *notifier) run(ctx context.Context) {
	defer close(n.done)
	for {
		select {
		case <-n.wake:
		case <-ctx.Done():
		}
		send, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		n.send(send)
		cancel()
		if ctx.Err() != nil {
			return
		}
	}
}

// send publishes the queued notifications in one statement. A failure
// loses them, which costs other processes only the freshness of their
// caches until their next change; it is logged.
func (n *notifier) send(ctx context.Context) {
	n.mu.Lock()
	batch := n.pending
	n.pending = nil
	n.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	if _, err := n.pool.Exec(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p`, Channel, batch); err != nil {
		n.log.WarnContext(ctx, "cannot notify other registry processes of changes", "changes", len(batch), "error", translate(err))
	}
}
