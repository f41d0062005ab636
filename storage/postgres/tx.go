package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// tx is a transaction on one pooled connection that sends its BEGIN, and
// the advisory locks asked of it (lock), in the same round trip as the
// next statement: a registration's transaction opens with BEGIN, the
// subject lock and the read of the subject's versions, in one round trip
// where pgx.Tx takes three (its Begin waits for the server's answer
// before anything else is sent). A lock is taken before any statement
// that follows it runs, which is all a lock promises.
//
// The pool destroys a connection that is released in any state but idle
// (pgxpool checks the transaction status on Release), so a transaction
// whose COMMIT or ROLLBACK did not arrive never reaches another caller.
type tx struct {
	conn *pgx.Conn
	// begun is set once BEGIN has been sent: from then on the connection
	// may be in a transaction, and it must be ended.
	begun bool
	ended bool
	// queued are statements without results, sent ahead of the next one.
	queued []queuedStatement
}

type queuedStatement struct {
	// lock names what the statement locks, for its error.
	lock string
	sql  string
	args []any
}

var _ dbtx = (*tx)(nil)

// errTxRolledBack is the error of a COMMIT that PostgreSQL answered with
// a rollback: a statement of the transaction failed and its caller went
// on regardless.
var errTxRolledBack = errors.New("the transaction was rolled back")

// lock queues a statement whose only effect is taking the lock it names
// (such as `subject "orders-value"`), to be sent with the next one.
func (t *tx) lock(what, sql string, args ...any) {
	t.queued = append(t.queued, queuedStatement{what, sql, args})
}

// prelude returns the batch of what must precede the next statement
// (BEGIN if not sent yet, then the queued statements) and the names of
// the locks among them; nil when nothing must.
func (t *tx) prelude() (*pgx.Batch, []string) {
	if t.begun && len(t.queued) == 0 {
		return nil, nil
	}
	b := &pgx.Batch{}
	if !t.begun {
		t.begun = true
		b.Queue("BEGIN")
	}
	var locks []string
	for _, q := range t.queued {
		b.Queue(q.sql, q.args...)
		locks = append(locks, q.lock)
	}
	t.queued = nil
	return b, locks
}

// send sends b with sql last, and reads the answers to all but the last.
// A failure among them is named after the batch's locks: the driver may
// report a lock that could not be taken (a deadlock, the client leaving
// while it waits) on any statement before it.
func (t *tx) send(ctx context.Context, b *pgx.Batch, locks []string, sql string, args []any) (pgx.BatchResults, error) {
	n := b.Len()
	b.Queue(sql, args...)
	br := t.conn.SendBatch(ctx, b)
	for range n {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			if len(locks) > 0 {
				err = fmt.Errorf("lock %s: %w", strings.Join(locks, ", "), err)
			}
			return nil, err
		}
	}
	return br, nil
}

func (t *tx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	b, locks := t.prelude()
	if b == nil {
		return t.conn.Exec(ctx, sql, args...)
	}
	br, err := t.send(ctx, b, locks, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *tx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	b, locks := t.prelude()
	if b == nil {
		return t.conn.Query(ctx, sql, args...)
	}
	br, err := t.send(ctx, b, locks, sql, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (t *tx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	b, locks := t.prelude()
	if b == nil {
		return t.conn.QueryRow(ctx, sql, args...)
	}
	br, err := t.send(ctx, b, locks, sql, args)
	if err != nil {
		return errRow{err}
	}
	return batchRow{row: br.QueryRow(), br: br}
}

// commit ends the transaction, committing what it did. Locks still
// queued guard nothing and are not sent.
func (t *tx) commit(ctx context.Context) error {
	if !t.begun || t.ended {
		t.ended = true
		return nil
	}
	t.ended = true
	tag, err := t.conn.Exec(ctx, "COMMIT")
	if err == nil && tag.String() == "ROLLBACK" {
		err = errTxRolledBack
	}
	return err
}

// rollback ends a transaction that was not committed; after commit it
// does nothing. A connection that cannot roll back is closed, for the
// pool to replace.
func (t *tx) rollback(ctx context.Context) {
	if !t.begun || t.ended {
		return
	}
	t.ended = true
	if _, err := t.conn.Exec(ctx, "ROLLBACK"); err != nil {
		_ = t.conn.Close(ctx)
	}
}

// errRow is a pgx.Row whose statement could not be sent.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// batchRows are the rows of a batch's last statement; closing them ends
// the batch, whose connection is unusable until then.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error
}

func (r *batchRows) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.Rows.Close()
	r.err = r.br.Close()
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batchRow is the row of a batch's last statement; Scan ends the batch.
type batchRow struct {
	row pgx.Row
	br  pgx.BatchResults
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}
