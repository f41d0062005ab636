package sqlstore

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

func TestRetryRun(t *testing.T) {
	t.Parallel()
	errBusy := errors.New("busy")
	errFatal := errors.New("fatal")
	tests := []struct {
		name      string
		results   []error // what successive runs return; later runs return the last
		cancel    bool    // ctx is cancelled before Run
		wantRuns  int
		wantError error
	}{
		{"SuccessRunsOnce", []error{nil}, false, 1, nil},
		{"RetryableThenSuccess", []error{errBusy, errBusy, nil}, false, 3, nil},
		{"StopsAtTheAttemptLimit", []error{errBusy}, false, 4, errBusy},
		{"OtherErrorsAreNotRetried", []error{errBusy, errFatal, nil}, false, 2, errFatal},
		{"EndedContextStopsRetrying", []error{errBusy, nil}, true, 1, errBusy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tc.cancel {
				cancel()
			}
			r := Retry{
				Attempts:  4,
				Retryable: func(err error) bool { return errors.Is(err, errBusy) },
				Backoff:   func(int) time.Duration { return time.Millisecond },
				Logger:    slog.New(slog.DiscardHandler),
				Message:   "retrying",
			}
			runs := 0
			err := r.Run(ctx, func() error {
				runs++
				return tc.results[min(runs, len(tc.results))-1]
			})
			if runs != tc.wantRuns || !errors.Is(err, tc.wantError) || (err == nil) != (tc.wantError == nil) {
				t.Errorf("Run: %d runs, error %v; want %d runs, error %v", runs, err, tc.wantRuns, tc.wantError)
			}
		})
	}
}
