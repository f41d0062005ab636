package sqlstore

import (
	"context"
	"fmt"

	"github.com/schemata-dev/schemata/internal/registry"
)

// Executor implements registry.Executor and registry.ConsumerStore on a
// Conn: on a backend's pools, or inside one of its transactions.
type Executor struct {
	conn Conn
	d    Dialect
	// q holds the query text built from d, shared by WithConn's copies.
	q *queries
}

var (
	_ registry.Executor      = (*Executor)(nil)
	_ registry.ConsumerStore = (*Executor)(nil)
)

// NewExecutor returns an Executor running its statements on c in dialect d.
func NewExecutor(c Conn, d Dialect) *Executor {
	return &Executor{conn: c, d: d, q: newQueries(d)}
}

// WithConn returns an Executor like e running on c, typically a
// transaction of the same backend; it reuses e's query text.
func (e *Executor) WithConn(c Conn) *Executor {
	cp := *e
	cp.conn = c
	return &cp
}

// errorf formats a store error, prefixed by the backend's name. It passes
// format to fmt.Errorf unchanged, so vet checks its callers.
func (e *Executor) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %w", e.d.Name(), fmt.Errorf(format, args...))
}

// translate is Translate in e's dialect.
func (e *Executor) translate(err error) error { return Translate(e.d, err) }

// RunTx runs fn in one transaction (Conn.Atomically), rerun as r allows:
// the InTx of a backend's registry.Store.
func (e *Executor) RunTx(ctx context.Context, r Retry, fn func(ctx context.Context, tx registry.Executor) error) error {
	return r.Run(ctx, func() error {
		return e.atomically(ctx, func(tx *Executor) error { return fn(ctx, tx) })
	})
}

// atomically runs fn on an Executor inside a transaction (see
// Conn.Atomically).
func (e *Executor) atomically(ctx context.Context, fn func(tx *Executor) error) error {
	return e.conn.Atomically(ctx, func(tx Conn) error {
		if tx == e.conn { // already a transaction: no copy needed
			return fn(e)
		}
		return fn(e.WithConn(tx))
	})
}

// SubjectLock serialises writers of subject until the transaction ends;
// outside a transaction it is an error.
func (e *Executor) SubjectLock(ctx context.Context, subject string) error {
	return e.conn.LockSubject(ctx, subject)
}

// Notify publishes c to every Watch: in a transaction when it commits,
// never on rollback; outside one at once.
func (e *Executor) Notify(ctx context.Context, c registry.Change) error {
	return e.conn.Notify(ctx, c)
}

// affectedOne turns the outcome of an UPDATE or DELETE of one row into an
// error: the statement's own, or registry.ErrNotFound when no row matched.
func (e *Executor) affectedOne(n int64, err error) error {
	if err != nil {
		return e.translate(err)
	}
	if n == 0 {
		return registry.ErrNotFound
	}
	return nil
}
