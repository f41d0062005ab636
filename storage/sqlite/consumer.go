package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

var _ registry.ConsumerStore = (*executor)(nil)

// readRow receives one consumer_reads row.
type readRow struct {
	consumer, subject, format, reader, refs, message, fields string
	backfill                                                 int64
}

func (r *readRow) dest() []any {
	return []any{&r.consumer, &r.subject, &r.format, &r.reader, &r.refs, &r.message, &r.fields, &r.backfill}
}

func (r *readRow) read() (registry.ConsumerRead, error) {
	out := registry.ConsumerRead{
		Subject: r.subject, Format: schema.Format(r.format), ReaderSchema: r.reader,
		Message: r.message, Backfill: time.Duration(r.backfill) * time.Second,
	}
	var refs []refJSON
	if err := json.Unmarshal([]byte(r.refs), &refs); err != nil {
		return out, fmt.Errorf("sqlite: stored reader references of %s: %w", r.consumer, err)
	}
	for _, ref := range refs {
		out.References = append(out.References, schema.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
	}
	if err := json.Unmarshal([]byte(r.fields), &out.Fields); err != nil {
		return out, fmt.Errorf("sqlite: stored fields of %s: %w", r.consumer, err)
	}
	if len(out.Fields) == 0 {
		out.Fields = nil
	}
	return out, nil
}

const readColumns = `consumer, subject, format, reader_schema, reader_references, message, fields, backfill_seconds`

// ConsumerGet returns one consumer with its reads ordered by subject.
func (e *executor) ConsumerGet(ctx context.Context, name string) (*registry.Consumer, error) {
	cs, err := e.consumers(ctx, `WHERE c.name = ?`, name)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("sqlite: consumer %q: %w", name, registry.ErrNotFound)
	}
	return &cs[0], nil
}

// ConsumerList lists consumers ordered by name, filtered by the subject
// they read and by owner.
func (e *executor) ConsumerList(ctx context.Context, p registry.ConsumerListParams) ([]registry.Consumer, error) {
	var conds []string
	var args []any
	if p.Subject != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM consumer_reads r WHERE r.consumer = c.name AND r.subject = ?)`)
		args = append(args, p.Subject)
	}
	if p.Owner != "" {
		conds = append(conds, `c.owner = ?`)
		args = append(args, p.Owner)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	return e.consumers(ctx, where, args...)
}

// consumers loads the consumers matching where, then their reads.
func (e *executor) consumers(ctx context.Context, where string, args ...any) ([]registry.Consumer, error) {
	rows, err := e.r.QueryContext(ctx, `SELECT c.name, c.owner, c.labels, c.created_at, c.updated_at FROM consumers c `+where+` ORDER BY c.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list consumers: %w", translate(err))
	}
	var out []registry.Consumer
	index := map[string]int{}
	for rows.Next() {
		var c registry.Consumer
		var labels, created, updated string
		if err := rows.Scan(&c.Name, &c.Owner, &labels, &created, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: scan consumer: %w", translate(err))
		}
		if err := json.Unmarshal([]byte(labels), &c.Labels); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: stored labels of %s: %w", c.Name, err)
		}
		if len(c.Labels) == 0 {
			c.Labels = nil
		}
		if c.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		if c.UpdatedAt, err = parseTime(updated); err != nil {
			rows.Close()
			return nil, err
		}
		index[c.Name] = len(out)
		out = append(out, c)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: list consumers: %w", translate(err))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list consumers: %w", translate(err))
	}
	if len(out) == 0 {
		return out, nil
	}
	rrows, err := e.r.QueryContext(ctx, `SELECT `+readColumns+` FROM consumer_reads WHERE consumer IN (SELECT c.name FROM consumers c `+where+`) ORDER BY consumer, subject`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list consumer reads: %w", translate(err))
	}
	defer rrows.Close()
	for rrows.Next() {
		var r readRow
		if err := rrows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("sqlite: scan consumer read: %w", translate(err))
		}
		read, err := r.read()
		if err != nil {
			return nil, err
		}
		if i, ok := index[r.consumer]; ok {
			out[i].Reads = append(out[i].Reads, read)
		}
	}
	if err := rrows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list consumer reads: %w", translate(err))
	}
	return out, nil
}

// ConsumerPut inserts or replaces a consumer and its reads in one
// transaction, keeping the stored created_at on replace.
func (e *executor) ConsumerPut(ctx context.Context, c registry.Consumer) error {
	labels, err := json.Marshal(nonNilMap(c.Labels))
	if err != nil {
		return fmt.Errorf("sqlite: encode labels: %w", err)
	}
	return e.atomically(ctx, func(tx *executor) error {
		_, err := tx.w.ExecContext(ctx, `
			INSERT INTO consumers (name, owner, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, labels = excluded.labels, updated_at = excluded.updated_at`,
			c.Name, c.Owner, string(labels), formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
		if err != nil {
			return fmt.Errorf("sqlite: put consumer %s: %w", c.Name, translate(err))
		}
		if _, err := tx.w.ExecContext(ctx, `DELETE FROM consumer_reads WHERE consumer = ?`, c.Name); err != nil {
			return fmt.Errorf("sqlite: replace reads of %s: %w", c.Name, translate(err))
		}
		for i, r := range c.Reads {
			refs := make([]refJSON, 0, len(r.References))
			for _, ref := range r.References {
				refs = append(refs, refJSON{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
			}
			refsJSON, err := json.Marshal(refs)
			if err != nil {
				return fmt.Errorf("sqlite: encode references: %w", err)
			}
			fields, err := json.Marshal(nonNilSlice(r.Fields))
			if err != nil {
				return fmt.Errorf("sqlite: encode fields: %w", err)
			}
			_, err = tx.w.ExecContext(ctx, `INSERT INTO consumer_reads (ordinal, `+readColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				i, c.Name, r.Subject, string(r.Format), r.ReaderSchema, string(refsJSON), r.Message, string(fields), int64(r.Backfill/time.Second))
			if err != nil {
				return fmt.Errorf("sqlite: insert read of %s: %w", c.Name, translate(err))
			}
		}
		return nil
	})
}

// ConsumerDelete removes a consumer; its reads go with it.
func (e *executor) ConsumerDelete(ctx context.Context, name string) error {
	if err := affectedOne(e.w.ExecContext(ctx, `DELETE FROM consumers WHERE name = ?`, name)); err != nil {
		return fmt.Errorf("sqlite: delete consumer %q: %w", name, err)
	}
	return nil
}

const deprecationColumns = `id, subject, path, version, reason, sunset, replacement, created_at`

func scanDeprecation(row scanner) (*registry.DeprecationRecord, error) {
	var d registry.DeprecationRecord
	var sunset sql.NullString
	var created string
	if err := row.Scan(&d.ID, &d.Subject, &d.Path, &d.Version, &d.Reason, &sunset, &d.Replacement, &created); err != nil {
		return nil, translate(err)
	}
	var err error
	if sunset.Valid {
		if d.Sunset, err = parseTime(sunset.String); err != nil {
			return nil, err
		}
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return &d, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// DeprecationInsert stores a new record; registry.ErrConflict when the
// subject, path and version are already recorded.
func (e *executor) DeprecationInsert(ctx context.Context, d registry.DeprecationRecord) (*registry.DeprecationRecord, error) {
	row := e.w.QueryRowContext(ctx, `
		INSERT INTO deprecations (subject, path, version, reason, sunset, replacement, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+deprecationColumns,
		d.Subject, d.Path, d.Version, d.Reason, nullTime(d.Sunset), d.Replacement, formatTime(d.CreatedAt))
	out, err := scanDeprecation(row)
	if err != nil {
		return nil, fmt.Errorf("sqlite: insert deprecation: %w", err)
	}
	return out, nil
}

// DeprecationUpdate replaces a record's reason, sunset and replacement.
func (e *executor) DeprecationUpdate(ctx context.Context, d registry.DeprecationRecord) error {
	err := affectedOne(e.w.ExecContext(ctx, `UPDATE deprecations SET reason = ?, sunset = ?, replacement = ? WHERE id = ?`,
		d.Reason, nullTime(d.Sunset), d.Replacement, d.ID))
	if err != nil {
		return fmt.Errorf("sqlite: update deprecation %d: %w", d.ID, err)
	}
	return nil
}

// DeprecationGet returns one record.
func (e *executor) DeprecationGet(ctx context.Context, id int) (*registry.DeprecationRecord, error) {
	d, err := scanDeprecation(e.r.QueryRowContext(ctx, `SELECT `+deprecationColumns+` FROM deprecations WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: deprecation %d: %w", id, err)
	}
	return d, nil
}

// DeprecationList lists records ordered by subject, path, version.
func (e *executor) DeprecationList(ctx context.Context, p registry.DeprecationListParams) ([]registry.DeprecationRecord, error) {
	q := `SELECT ` + deprecationColumns + ` FROM deprecations WHERE 1 = 1`
	var args []any
	if p.Subject != "" {
		q += ` AND subject = ?`
		args = append(args, p.Subject)
	}
	if p.SubjectPrefix != "" {
		q += ` AND substr(subject, 1, ?) = ?`
		args = append(args, len(p.SubjectPrefix), p.SubjectPrefix)
	}
	rows, err := e.r.QueryContext(ctx, q+` ORDER BY subject, path, version`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list deprecations: %w", translate(err))
	}
	defer rows.Close()
	var out []registry.DeprecationRecord
	for rows.Next() {
		d, err := scanDeprecation(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list deprecations: %w", err)
		}
		out = append(out, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list deprecations: %w", translate(err))
	}
	return out, nil
}

// DeprecationDelete removes a record.
func (e *executor) DeprecationDelete(ctx context.Context, id int) error {
	if err := affectedOne(e.w.ExecContext(ctx, `DELETE FROM deprecations WHERE id = ?`, id)); err != nil {
		return fmt.Errorf("sqlite: delete deprecation %d: %w", id, err)
	}
	return nil
}

// UsageAdd adds a batch of usage counts in one transaction.
func (e *executor) UsageAdd(ctx context.Context, batch []registry.UsageDelta) error {
	if len(batch) == 0 {
		return nil
	}
	return e.atomically(ctx, func(tx *executor) error {
		for _, d := range batch {
			// Times are fixed-width strings, so min and max compare them
			// as times.
			_, err := tx.w.ExecContext(ctx, `
				INSERT INTO schema_usage (schema_id, identity, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (schema_id, identity) DO UPDATE SET
					count = count + excluded.count,
					first_seen = min(first_seen, excluded.first_seen),
					last_seen = max(last_seen, excluded.last_seen)`,
				d.SchemaID, d.Identity, d.Count, formatTime(d.FirstSeen), formatTime(d.LastSeen))
			if err != nil {
				return fmt.Errorf("sqlite: add usage: %w", translate(err))
			}
		}
		return nil
	})
}

// UsageList lists usage rows ordered by schema id then identity.
func (e *executor) UsageList(ctx context.Context, p registry.UsageListParams) ([]registry.Usage, error) {
	q := `SELECT schema_id, identity, count, first_seen, last_seen FROM schema_usage WHERE 1 = 1`
	var args []any
	if !p.SeenSince.IsZero() {
		q += ` AND last_seen >= ?`
		args = append(args, formatTime(p.SeenSince))
	}
	if len(p.SchemaIDs) > 0 {
		q += ` AND schema_id IN (SELECT value FROM json_each(?))`
		ids, err := json.Marshal(p.SchemaIDs)
		if err != nil {
			return nil, fmt.Errorf("sqlite: encode ids: %w", err)
		}
		args = append(args, string(ids))
	}
	rows, err := e.r.QueryContext(ctx, q+` ORDER BY schema_id, identity`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list usage: %w", translate(err))
	}
	defer rows.Close()
	var out []registry.Usage
	for rows.Next() {
		var u registry.Usage
		var first, last string
		if err := rows.Scan(&u.SchemaID, &u.Identity, &u.Count, &first, &last); err != nil {
			return nil, fmt.Errorf("sqlite: scan usage: %w", translate(err))
		}
		if u.FirstSeen, err = parseTime(first); err != nil {
			return nil, err
		}
		if u.LastSeen, err = parseTime(last); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list usage: %w", translate(err))
	}
	return out, nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
