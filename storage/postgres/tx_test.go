package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// TestTransactionEnds checks how InTx's transactions (whose BEGIN travels
// with the subject lock) end: what a failed one wrote is gone, and every
// connection goes back to the pool idle, or is not reused.
func TestTransactionEnds(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := t.Context()
	boom := errors.New("boom")
	// lockAndWrite takes the subject lock and sets its mode, the write
	// that must not outlive a transaction that fails.
	lockAndWrite := func(ctx context.Context, tx registry.Executor, subject string) {
		t.Helper()
		if err := tx.SubjectLock(ctx, subject); err != nil {
			t.Fatalf("lock: %v", err)
		}
		if err := tx.ModeSet(ctx, subject, registry.ReadOnly); err != nil {
			t.Fatalf("set mode: %v", err)
		}
	}
	tests := []struct {
		name    string
		subject string
		// fn runs in the transaction; cancel cancels its context.
		fn      func(ctx context.Context, tx registry.Executor, cancel context.CancelFunc) error
		wantErr func(error) bool
		// keepsConn is set when the connection must survive: rolled
		// back, not replaced.
		keepsConn bool
	}{
		{
			name: "fn fails", subject: "fails", keepsConn: true,
			fn: func(ctx context.Context, tx registry.Executor, _ context.CancelFunc) error {
				lockAndWrite(ctx, tx, "fails")
				return boom
			},
			wantErr: func(err error) bool { return errors.Is(err, boom) },
		},
		{
			// A statement fails and fn goes on: PostgreSQL answers the
			// COMMIT with a rollback, which must be an error.
			name: "a failed statement ignored", subject: "ignored", keepsConn: true,
			fn: func(ctx context.Context, tx registry.Executor, _ context.CancelFunc) error {
				lockAndWrite(ctx, tx, "ignored")
				if _, err := tx.VersionInsert(ctx, registry.VersionInsertParams{
					Subject: "ignored", SchemaID: 1 << 30, CreatedAt: time.Now(),
				}); err == nil {
					t.Error("inserting a version of a missing schema succeeded")
				}
				return nil
			},
			wantErr: func(err error) bool { return err != nil && !errors.Is(err, boom) },
		},
		{
			// pgx closes a connection whose statement is canceled.
			name: "the client leaves", subject: "left",
			fn: func(ctx context.Context, tx registry.Executor, cancel context.CancelFunc) error {
				lockAndWrite(ctx, tx, "left")
				cancel()
				_, err := tx.VersionList(ctx, "left", false)
				return err
			},
			wantErr: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			made := st.Pool().Stat().NewConnsCount()
			err := st.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
				return tc.fn(ctx, tx, cancel)
			})
			if !tc.wantErr(err) {
				t.Fatalf("InTx = %v", err)
			}
			if m, err := st.ModeGet(t.Context(), tc.subject); err == nil {
				t.Errorf("the failed transaction's mode %s was kept", m)
			} else if !errors.Is(err, registry.ErrNotFound) {
				t.Fatalf("read mode: %v", err)
			}
			if now := st.Pool().Stat().NewConnsCount(); tc.keepsConn && now != made {
				t.Errorf("%d connections made: the transaction's was not rolled back but replaced", now-made)
			}
			checkIdle(t, st)
		})
	}
	t.Run("fn panics", func(t *testing.T) {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not reach InTx's caller")
				}
			}()
			_ = st.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
				lockAndWrite(ctx, tx, "panics")
				panic("fn panics")
			})
		}()
		if _, err := st.ModeGet(ctx, "panics"); !errors.Is(err, registry.ErrNotFound) {
			t.Errorf("after a panic, mode read: %v, want not found", err)
		}
		checkIdle(t, st)
	})
	t.Run("commits", func(t *testing.T) {
		err := st.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
			lockAndWrite(ctx, tx, "commits")
			return nil
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		if m, err := st.ModeGet(ctx, "commits"); err != nil || m != registry.ReadOnly {
			t.Errorf("mode = %v, %v; want %s", m, err, registry.ReadOnly)
		}
		checkIdle(t, st)
	})
}

// checkIdle fails t unless no connection of st's pool is in use and
// every idle one is outside a transaction.
func checkIdle(t *testing.T, st *postgres.Store) {
	t.Helper()
	pool := st.Pool()
	if n := pool.Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d connections still acquired", n)
	}
	conns := pool.AcquireAllIdle(t.Context())
	for _, c := range conns {
		if s := c.Conn().PgConn().TxStatus(); s != 'I' {
			t.Errorf("an idle connection is in transaction state %q", s)
		}
		c.Release()
	}
}
