package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// dbtx is what querier needs from a connection pool or a transaction;
// *sql.DB and *sql.Tx both satisfy it.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// querier is database/sql's sqlstore.Querier.
type querier struct{ db dbtx }

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return q.db.QueryRowContext(ctx, query, args...)
}

// sqlRows adapts *sql.Rows to sqlstore.Rows, whose Close reports nothing:
// the error Close could return is Err's.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// conn is the sqlstore.Conn of SQLite: outside a transaction, reads go to
// the read-only pool and writes to the single writer connection; in a
// transaction, both go to it.
type conn struct {
	// r and w hold a querier each, boxed once rather than on every call.
	r, w sqlstore.Querier
	// writer is the writer pool, set outside a transaction, where a write
	// of several rows starts a transaction of its own.
	writer *sql.DB
	inTx   bool
	// publish delivers a change: at once on the pools, after commit in a
	// transaction.
	publish func(registry.Change)
}

var _ sqlstore.Conn = (*conn)(nil)

func (c *conn) Reader() sqlstore.Querier { return c.r }
func (c *conn) Writer() sqlstore.Querier { return c.w }

// Atomically runs fn in c when c is a transaction, else in an IMMEDIATE
// transaction of its own on the writer. Changes fn queues reach watchers
// after commit.
func (c *conn) Atomically(ctx context.Context, fn func(tx sqlstore.Conn) error) error {
	if c.inTx {
		return fn(c)
	}
	tx, err := c.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", translate(err))
	}
	defer tx.Rollback()
	var pending []registry.Change
	q := sqlstore.Querier(querier{tx})
	txc := &conn{r: q, w: q, inTx: true, publish: func(c registry.Change) { pending = append(pending, c) }}
	if err := fn(txc); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", translate(err))
	}
	for _, ch := range pending {
		c.publish(ch)
	}
	return nil
}

// errNoTx is returned by LockSubject outside InTx, where a lock would end
// with the statement that took it.
var errNoTx = errors.New("sqlite: SubjectLock called outside a transaction")

// LockSubject does nothing inside a transaction: the transaction already
// holds SQLite's write lock, which serialises every writer. Outside a
// transaction it returns an error.
func (c *conn) LockSubject(ctx context.Context, subject string) error {
	if !c.inTx {
		return errNoTx
	}
	return nil
}

// ReserveSchemaID is never called: the embedded store has no sequence
// (dialect.IDSequence), sqlstore counts ids itself.
func (c *conn) ReserveSchemaID(ctx context.Context, id int) error { return nil }

// Notify queues c for delivery to watchers after commit; outside a
// transaction it delivers c at once.
func (c *conn) Notify(ctx context.Context, ch registry.Change) error {
	c.publish(ch)
	return nil
}
