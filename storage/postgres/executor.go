package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// dbtx is what executor needs from the pool or a transaction;
// *pgxpool.Pool and pgx.Tx both satisfy it.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	// Begin starts a transaction on the pool, or a savepoint in a
	// transaction.
	Begin(ctx context.Context) (pgx.Tx, error)
}

// executor implements registry.Executor on the pool (outside a
// transaction) or on one transaction.
type executor struct {
	db dbtx
	// ns is the schema the registry lives in; it namespaces advisory
	// locks and notifications.
	ns   string
	inTx bool
}

var _ registry.Executor = (*executor)(nil)

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

// SubjectLock takes a transaction-scoped advisory lock on subject, held
// until the transaction ends. Outside a transaction it returns an error.
func (e *executor) SubjectLock(ctx context.Context, subject string) error {
	if !e.inTx {
		return errNoTx
	}
	if _, err := e.db.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey("subject", e.ns, subject)); err != nil {
		return fmt.Errorf("postgres: lock subject %q: %w", subject, translate(err))
	}
	return nil
}

// Notify publishes c on the notification channel. In a transaction
// PostgreSQL delivers it at commit and drops it on rollback; outside one
// it is delivered at once.
func (e *executor) Notify(ctx context.Context, c registry.Change) error {
	payload, err := encodeChange(e.ns, c)
	if err != nil {
		return err
	}
	if _, err := e.db.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, payload); err != nil {
		return fmt.Errorf("postgres: notify: %w", translate(err))
	}
	return nil
}

// refsColumn selects a schema's references, in order, as a JSON array.
const refsColumn = `coalesce((
	SELECT json_agg(json_build_object('name', r.name, 'subject', r.subject, 'version', r.version) ORDER BY r.ordinal)
	FROM schema_references r WHERE r.schema_id = s.id), '[]')`

const schemaColumns = `s.id, s.format, s.text, s.metadata, s.ruleset, s.fingerprint, ` + refsColumn

// versionColumns selects a subject version joined with its schema; scan
// them with scanVersion.
const versionColumns = `v.subject, v.version, v.deleted, v.created_at, ` + schemaColumns

const versionsFrom = ` FROM subject_versions v JOIN schemas s ON s.id = v.schema_id `

// refJSON is the shape of one element of refsColumn.
type refJSON struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaRow receives the schemaColumns of one row.
type schemaRow struct {
	id                      int
	format, text            string
	metadata, ruleset, refs []byte
	fingerprint             string
}

func (r *schemaRow) dest() []any {
	return []any{&r.id, &r.format, &r.text, &r.metadata, &r.ruleset, &r.fingerprint, &r.refs}
}

func (r *schemaRow) schema() (*registry.Schema, error) {
	s := &registry.Schema{ID: r.id, Format: schema.Format(r.format), Text: r.text, Fingerprint: r.fingerprint}
	if r.metadata != nil {
		s.Metadata = json.RawMessage(r.metadata)
	}
	if r.ruleset != nil {
		s.RuleSet = json.RawMessage(r.ruleset)
	}
	var refs []refJSON
	if err := json.Unmarshal(r.refs, &refs); err != nil {
		return nil, fmt.Errorf("postgres: references of schema %d: %w", r.id, err)
	}
	for _, ref := range refs {
		s.References = append(s.References, schema.Reference(ref))
	}
	return s, nil
}

func scanSchema(row pgx.Row) (*registry.Schema, error) {
	var sr schemaRow
	if err := row.Scan(sr.dest()...); err != nil {
		return nil, translate(err)
	}
	return sr.schema()
}

func scanVersion(row pgx.Row) (*registry.SubjectVersion, error) {
	var (
		v  registry.SubjectVersion
		sr schemaRow
	)
	if err := row.Scan(append([]any{&v.Subject, &v.Version, &v.Deleted, &v.CreatedAt}, sr.dest()...)...); err != nil {
		return nil, translate(err)
	}
	v.CreatedAt = v.CreatedAt.UTC()
	var err error
	if v.Schema, err = sr.schema(); err != nil {
		return nil, err
	}
	v.SchemaID = v.Schema.ID
	return &v, nil
}

func (e *executor) queryVersions(ctx context.Context, query string, args ...any) ([]registry.SubjectVersion, error) {
	rows, err := e.db.Query(ctx, query, args...)
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
func nullJSON(m json.RawMessage) *string {
	if len(m) == 0 {
		return nil
	}
	s := string(m)
	return &s
}

// noLimit turns a non-positive limit into NULL, PostgreSQL's "no limit".
func noLimit(limit int) *int {
	if limit <= 0 {
		return nil
	}
	return &limit
}

// affectedOne turns the outcome of an UPDATE or DELETE of one row into an
// error: the statement's own, or registry.ErrNotFound when no row matched.
func affectedOne(tag pgconn.CommandTag, err error) error {
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return registry.ErrNotFound
	}
	return nil
}
