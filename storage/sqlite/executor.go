package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// dbtx is what executor needs from a connection pool or a transaction;
// *sql.DB and *sql.Tx both satisfy it.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// executor implements registry.Executor on the pools (outside a
// transaction) or on one transaction.
type executor struct {
	r dbtx // reads
	w dbtx // writes
	// writer is the writer pool, set outside a transaction, where a write
	// of several rows starts a transaction of its own.
	writer *sql.DB
	// inTx is set on the executor InTx hands to its callback.
	inTx bool
	// publish delivers a change: at once on the pools, after commit in a
	// transaction.
	publish func(registry.Change)
}

var _ registry.Executor = (*executor)(nil)

// atomically runs fn on an executor inside a transaction: e itself when it
// is one, else a transaction of its own on the writer.
func (e *executor) atomically(ctx context.Context, fn func(tx *executor) error) error {
	if e.inTx {
		return fn(e)
	}
	tx, err := e.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", translate(err))
	}
	defer tx.Rollback()
	var pending []registry.Change
	ex := &executor{r: tx, w: tx, inTx: true, publish: func(c registry.Change) { pending = append(pending, c) }}
	if err := fn(ex); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", translate(err))
	}
	for _, c := range pending {
		e.publish(c)
	}
	return nil
}

// errNoTx is returned by SubjectLock outside InTx, where a lock would end
// with the statement that took it.
var errNoTx = errors.New("sqlite: SubjectLock called outside a transaction")

// SubjectLock does nothing inside a transaction: the transaction already
// holds SQLite's write lock, which serialises every writer. Outside a
// transaction it returns an error.
func (e *executor) SubjectLock(ctx context.Context, subject string) error {
	if !e.inTx {
		return errNoTx
	}
	return nil
}

// Notify queues c for delivery to watchers after commit; outside a
// transaction it delivers c at once.
func (e *executor) Notify(ctx context.Context, c registry.Change) error {
	e.publish(c)
	return nil
}

// timeLayout is the fixed-width UTC form times are stored in.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// refsColumn selects a schema's references, in order, as a JSON array.
const refsColumn = `(SELECT json_group_array(json_object('name', r.name, 'subject', r.subject, 'version', r.version) ORDER BY r.ordinal)
	FROM schema_references r WHERE r.schema_id = s.id)`

const schemaColumns = `s.id, s.format, s.text, s.metadata, s.ruleset, s.fingerprint, ` + refsColumn

// versionColumns selects a subject version joined with its schema; scan
// them with scanVersion.
const versionColumns = `v.subject, v.version, v.deleted, v.created_at, ` + schemaColumns

const versionsFrom = ` FROM subject_versions v JOIN schemas s ON s.id = v.schema_id `

type scanner interface{ Scan(dest ...any) error }

// refJSON is the shape of one element of refsColumn.
type refJSON struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaRow receives the schemaColumns of one row.
type schemaRow struct {
	id                int
	format, text      string
	metadata, ruleset sql.NullString
	fingerprint, refs string
}

func (r *schemaRow) dest() []any {
	return []any{&r.id, &r.format, &r.text, &r.metadata, &r.ruleset, &r.fingerprint, &r.refs}
}

func (r *schemaRow) schema() (*registry.Schema, error) {
	s := &registry.Schema{ID: r.id, Format: schema.Format(r.format), Text: r.text, Fingerprint: r.fingerprint}
	if r.metadata.Valid {
		s.Metadata = json.RawMessage(r.metadata.String)
	}
	if r.ruleset.Valid {
		s.RuleSet = json.RawMessage(r.ruleset.String)
	}
	var refs []refJSON
	if err := json.Unmarshal([]byte(r.refs), &refs); err != nil {
		return nil, fmt.Errorf("sqlite: references of schema %d: %w", r.id, err)
	}
	for _, ref := range refs {
		s.References = append(s.References, schema.Reference(ref))
	}
	return s, nil
}

func scanSchema(row scanner) (*registry.Schema, error) {
	var sr schemaRow
	if err := row.Scan(sr.dest()...); err != nil {
		return nil, translate(err)
	}
	return sr.schema()
}

func scanVersion(row scanner) (*registry.SubjectVersion, error) {
	var (
		v       registry.SubjectVersion
		created string
		sr      schemaRow
	)
	if err := row.Scan(append([]any{&v.Subject, &v.Version, &v.Deleted, &created}, sr.dest()...)...); err != nil {
		return nil, translate(err)
	}
	var err error
	if v.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if v.Schema, err = sr.schema(); err != nil {
		return nil, err
	}
	v.SchemaID = v.Schema.ID
	return &v, nil
}

func (e *executor) queryVersions(ctx context.Context, query string, args ...any) ([]registry.SubjectVersion, error) {
	rows, err := e.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []registry.SubjectVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// nullJSON stores an empty document as NULL.
func nullJSON(m json.RawMessage) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

// noLimit turns a non-positive limit into SQLite's "no limit".
func noLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// affectedOne turns the outcome of an UPDATE or DELETE of one row into an
// error: the statement's own, or registry.ErrNotFound when no row matched.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return registry.ErrNotFound
	}
	return nil
}

func collectInts(rows *sql.Rows) ([]int, error) {
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, translate(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}
