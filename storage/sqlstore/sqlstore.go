// Package sqlstore is the registry's store logic written once for every
// SQL backend: the queries, row scanning and transaction shape behind
// registry.Store's executor, registry.ConsumerStore and auth.Store.
//
// A backend (storage/postgres, storage/sqlite) supplies the seam: a Conn,
// which runs statements on its pool or inside one of its transactions and
// knows how that backend locks a subject, reserves an explicit schema id
// and publishes a change; and a Dialect, which classifies the driver's
// errors, encodes times and spells the few expressions the two SQL
// dialects do not share. Everything else (the query text, with
// PostgreSQL-style $n placeholders that SQLite also reads as positional
// parameters) lives here.
//
// sqlstore imports the registry domain, auth's store types, compat and
// schema; it must not import a backend, a driver or the HTTP layer.
package sqlstore

import (
	"context"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
)

// Querier runs statements on a pool or in a transaction. Query text
// numbers its parameters $1, $2, …; a parameter may appear more than once.
type Querier interface {
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow runs a query expected to return at most one row; its Scan
	// returns the driver's no-rows error when there is none.
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Row is one result row.
type Row interface {
	Scan(dest ...any) error
}

// Rows iterates a query's result. Close may be called more than once;
// errors surface through Err. pgx.Rows satisfies it as is.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Conn is where a backend runs statements: its pools outside a
// transaction, or one transaction. Implementations are cheap values made
// per transaction.
type Conn interface {
	// Reader runs reads and Writer runs writes. They differ only where a
	// backend separates them (SQLite's read-only pool and single writer
	// outside a transaction).
	Reader() Querier
	Writer() Querier
	// Atomically runs fn on a Conn inside a transaction: when c already is
	// one, fn runs on it directly; otherwise in a new transaction, committed
	// when fn returns nil and rolled back otherwise.
	Atomically(ctx context.Context, fn func(tx Conn) error) error
	// LockSubject serialises writers of subject until the transaction
	// ends: the lock is held before any statement after it runs (a
	// backend may send it with the next one). Outside a transaction it
	// returns an error: the lock would end with the statement that took
	// it.
	LockSubject(ctx context.Context, subject string) error
	// ReserveSchemaID runs in the transaction that just inserted a schema
	// of the default context with an explicit id, so that the backend's
	// sequence (Dialect.IDSequence) never assigns that id to a later schema.
	ReserveSchemaID(ctx context.Context, id int) error
	// Notify publishes c to Watch: in a transaction, when it commits.
	//
	// LockSubject, ReserveSchemaID and Notify return errors ready for the
	// caller: prefixed with the backend's name and translated.
	Notify(ctx context.Context, c registry.Change) error
}

// Dialect is what the SQL of the backends does not share. Implementations
// are stateless.
type Dialect interface {
	// Name prefixes error messages ("postgres", "sqlite").
	Name() string
	// Classify tells what a driver error means to the store.
	Classify(err error) ErrorClass
	// Time encodes t, already in UTC, as a statement argument for a time
	// column.
	Time(t time.Time) any
	// ReferencesJSON is an SQL expression giving the references of the
	// schema aliased s as a JSON array of {"name","subject","version"}
	// objects in ordinal order, '[]' when it has none.
	ReferencesJSON() string
	// IDSequence reports whether the default context's schema ids come
	// from the schemas table's own sequence (the insert omits the id);
	// otherwise they are counted in schema_contexts like other contexts'.
	IDSequence() bool
}
