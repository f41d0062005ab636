package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/sqlstore"
)

// dbtx is what conn needs from the pool or a transaction; *pgxpool.Pool
// and *tx both satisfy it.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// conn is the sqlstore.Conn of PostgreSQL: the pool outside a transaction,
// or one transaction. It is its own Querier, for reads and writes alike,
// and runs statements on pgx directly: pgx.Rows and pgx.Row already are
// sqlstore's Rows and Row.
type conn struct {
	db dbtx
	// pool is the pool transactions are taken from, and notes sends the
	// notifications published outside one; both nil in a transaction.
	pool  *pgxpool.Pool
	notes *notifier
	// ns is the schema the registry lives in; it namespaces advisory
	// locks and notifications.
	ns string
	// tx is the transaction c runs in, or nil.
	tx *tx
}

var (
	_ sqlstore.Conn    = (*conn)(nil)
	_ sqlstore.Querier = (*conn)(nil)
)

func (c *conn) Reader() sqlstore.Querier { return c }
func (c *conn) Writer() sqlstore.Querier { return c }

func (c *conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.db.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (c *conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (c *conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return c.db.QueryRow(ctx, query, args...)
}

// Atomically runs fn in c when c is a transaction, else in a transaction
// of its own on the pool.
func (c *conn) Atomically(ctx context.Context, fn func(tx sqlstore.Conn) error) error {
	if c.tx != nil {
		return fn(c)
	}
	pc, err := c.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", translate(err))
	}
	defer pc.Release()
	t := &tx{conn: pc.Conn()}
	// A no-op once committed; rolls back when fn fails or panics.
	defer t.rollback(context.WithoutCancel(ctx))
	if err := fn(&conn{db: t, ns: c.ns, tx: t}); err != nil {
		return err
	}
	if err := t.commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", translate(err))
	}
	return nil
}

// lockKey hashes name into the 64-bit advisory lock space. The kind and
// the schema name are part of the hashed text, so subject locks, the
// schema-id lock and the migration lock never share keys, nor do
// registries in different schemas.
func lockKey(kind, ns, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("schemata/" + kind + "\x00" + ns + "\x00" + name))
	return int64(h.Sum64())
}

// errNoTx is returned by SubjectLock outside InTx, where the lock would
// end with the statement that took it.
var errNoTx = errors.New("postgres: SubjectLock called outside a transaction")

// LockSubject takes a transaction-scoped advisory lock on subject, held
// until the transaction ends, before the transaction's next statement
// runs. Outside a transaction it returns an error.
func (c *conn) LockSubject(ctx context.Context, subject string) error {
	if c.tx == nil {
		return errNoTx
	}
	// Sent with the next statement (see tx): a failure to lock is that
	// statement's error.
	c.tx.lock("subject "+strconv.Quote(subject), `SELECT pg_advisory_xact_lock($1)`, lockKey("subject", c.ns, subject))
	return nil
}

// ReserveSchemaID moves the id sequence past id. setval is not
// transactional, so the read-modify-write runs under a transaction
// advisory lock: concurrent imports cannot move the sequence back.
func (c *conn) ReserveSchemaID(ctx context.Context, id int) error {
	if c.tx == nil {
		return errNoTx
	}
	c.tx.lock("the schema id sequence", `SELECT pg_advisory_xact_lock($1)`, lockKey("schema-ids", c.ns, ""))
	_, err := c.db.Exec(ctx, `
		SELECT setval(q.seq, greatest($1::bigint, coalesce(pg_sequence_last_value(q.seq), 0)))
		FROM (SELECT pg_get_serial_sequence('schemas', 'id')::regclass AS seq) q`, id)
	if err != nil {
		return fmt.Errorf("postgres: move schema id sequence past %d: %w", id, translate(err))
	}
	return nil
}

// Notify publishes c on the notification channel. In a transaction
// PostgreSQL delivers it at commit and drops it on rollback; outside one
// it is queued for the Store's notifier, which sends it within moments,
// with any others queued meanwhile, without the caller waiting.
func (c *conn) Notify(ctx context.Context, ch registry.Change) error {
	payload, err := encodeChange(c.ns, ch)
	if err != nil {
		return err
	}
	if c.tx == nil {
		c.notes.add(payload)
		return nil
	}
	if _, err := c.db.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, payload); err != nil {
		return fmt.Errorf("postgres: notify: %w", translate(err))
	}
	return nil
}
