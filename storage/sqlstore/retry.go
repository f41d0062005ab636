package sqlstore

import (
	"context"
	"log/slog"
	"time"
)

// Retry reruns a transaction that failed in a way a new attempt may not:
// a serialization failure or deadlock (PostgreSQL), a database another
// process kept busy (SQLite). Backends use it in their InTx.
type Retry struct {
	// Attempts bounds the runs, the first included.
	Attempts int
	// Retryable tells whether an error is worth another attempt.
	Retryable func(error) bool
	// Backoff is the wait after failed attempt n, counted from 1.
	Backoff func(attempt int) time.Duration
	// Logger records each retry at Level with Message.
	Logger  *slog.Logger
	Level   slog.Level
	Message string
}

// Run calls run until it succeeds, fails with an error not worth a retry,
// has used every attempt, or ctx ends; it returns run's last error.
func (r Retry) Run(ctx context.Context, run func() error) error {
	for attempt := 1; ; attempt++ {
		err := run()
		if err == nil || attempt >= r.Attempts || !r.Retryable(err) || ctx.Err() != nil {
			return err
		}
		wait := r.Backoff(attempt)
		r.Logger.Log(ctx, r.Level, r.Message, "attempt", attempt, "backoff", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
