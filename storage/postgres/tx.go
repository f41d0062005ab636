package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// tx is a transaction on one pooled connection that sends its BEGIN in
// the same round trip as its first statement, when that statement is an
// Exec: a registration opens with the subject lock, so its transaction
// costs one round trip fewer than pgx.Tx, whose Begin waits for the
// server's answer before anything else is sent.
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
}

var _ dbtx = (*tx)(nil)

// errTxRolledBack is the error of a COMMIT that PostgreSQL answered with
// a rollback: a statement of the transaction failed and its caller went
// on regardless.
var errTxRolledBack = errors.New("the transaction was rolled back")

func (t *tx) begin(ctx context.Context) error {
	if t.begun {
		return nil
	}
	t.begun = true
	_, err := t.conn.Exec(ctx, "BEGIN")
	return err
}

// Exec runs a statement, sending BEGIN with it when it is the first.
func (t *tx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.begun {
		return t.conn.Exec(ctx, sql, args...)
	}
	t.begun = true
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(sql, args...)
	br := t.conn.SendBatch(ctx, b)
	_, err := br.Exec()
	var tag pgconn.CommandTag
	if err == nil {
		tag, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *tx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(ctx, sql, args...)
}

func (t *tx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.begin(ctx); err != nil {
		return errRow{err}
	}
	return t.conn.QueryRow(ctx, sql, args...)
}

// commit ends the transaction, committing what it did.
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
