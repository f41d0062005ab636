package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

var _ registry.ConsumerStore = (*executor)(nil)

// atomically runs fn inside a transaction: a transaction of its own on the
// pool, or a savepoint when e already is one.
func (e *executor) atomically(ctx context.Context, fn func(tx *executor) error) error {
	tx, err := e.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", translate(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(&executor{db: tx, ns: e.ns, inTx: true}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", translate(err))
	}
	return nil
}

const readColumns = `consumer, subject, format, reader_schema, reader_references, message, fields, backfill_seconds`

// ConsumerGet returns one consumer with its reads ordered by subject.
func (e *executor) ConsumerGet(ctx context.Context, name string) (*registry.Consumer, error) {
	cs, err := e.consumers(ctx, `WHERE c.name = $1`, name)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("postgres: consumer %q: %w", name, registry.ErrNotFound)
	}
	return &cs[0], nil
}

// ConsumerList lists consumers ordered by name, filtered by the subject
// they read and by owner.
func (e *executor) ConsumerList(ctx context.Context, p registry.ConsumerListParams) ([]registry.Consumer, error) {
	var conds []string
	var args []any
	if p.Subject != "" {
		args = append(args, p.Subject)
		conds = append(conds, fmt.Sprintf(`EXISTS (SELECT 1 FROM consumer_reads r WHERE r.consumer = c.name AND r.subject = $%d)`, len(args)))
	}
	if p.Owner != "" {
		args = append(args, p.Owner)
		conds = append(conds, fmt.Sprintf(`c.owner = $%d`, len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	return e.consumers(ctx, where, args...)
}

// consumers loads the consumers matching where, then their reads.
func (e *executor) consumers(ctx context.Context, where string, args ...any) ([]registry.Consumer, error) {
	rows, err := e.db.Query(ctx, `SELECT c.name, c.owner, c.labels, c.created_at, c.updated_at FROM consumers c `+where+` ORDER BY c.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list consumers: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Consumer, error) {
		var c registry.Consumer
		var labels []byte
		if err := row.Scan(&c.Name, &c.Owner, &labels, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return c, err
		}
		if err := json.Unmarshal(labels, &c.Labels); err != nil {
			return c, fmt.Errorf("stored labels of %s: %w", c.Name, err)
		}
		if len(c.Labels) == 0 {
			c.Labels = nil
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list consumers: %w", translate(err))
	}
	if len(out) == 0 {
		return out, nil
	}
	index := make(map[string]int, len(out))
	names := make([]string, len(out))
	for i, c := range out {
		index[c.Name], names[i] = i, c.Name
	}
	rrows, err := e.db.Query(ctx, `SELECT `+readColumns+` FROM consumer_reads WHERE consumer = ANY($1) ORDER BY consumer, subject`, names)
	if err != nil {
		return nil, fmt.Errorf("postgres: list consumer reads: %w", translate(err))
	}
	defer rrows.Close()
	for rrows.Next() {
		var consumer, format string
		var refs, fields []byte
		var backfill int64
		var r registry.ConsumerRead
		if err := rrows.Scan(&consumer, &r.Subject, &format, &r.ReaderSchema, &refs, &r.Message, &fields, &backfill); err != nil {
			return nil, fmt.Errorf("postgres: scan consumer read: %w", translate(err))
		}
		r.Format, r.Backfill = schema.Format(format), time.Duration(backfill)*time.Second
		var rj []refJSON
		if err := json.Unmarshal(refs, &rj); err != nil {
			return nil, fmt.Errorf("postgres: stored reader references of %s: %w", consumer, err)
		}
		for _, ref := range rj {
			r.References = append(r.References, schema.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
		}
		if err := json.Unmarshal(fields, &r.Fields); err != nil {
			return nil, fmt.Errorf("postgres: stored fields of %s: %w", consumer, err)
		}
		if len(r.Fields) == 0 {
			r.Fields = nil
		}
		out[index[consumer]].Reads = append(out[index[consumer]].Reads, r)
	}
	if err := rrows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list consumer reads: %w", translate(err))
	}
	return out, nil
}

// ConsumerPut inserts or replaces a consumer and its reads in one
// transaction, keeping the stored created_at on replace.
func (e *executor) ConsumerPut(ctx context.Context, c registry.Consumer) error {
	labels, err := json.Marshal(nonNilMap(c.Labels))
	if err != nil {
		return fmt.Errorf("postgres: encode labels: %w", err)
	}
	return e.atomically(ctx, func(tx *executor) error {
		_, err := tx.db.Exec(ctx, `
			INSERT INTO consumers (name, owner, labels, created_at, updated_at) VALUES ($1, $2, $3::jsonb, $4, $5)
			ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, labels = excluded.labels, updated_at = excluded.updated_at`,
			c.Name, c.Owner, string(labels), c.CreatedAt, c.UpdatedAt)
		if err != nil {
			return fmt.Errorf("postgres: put consumer %s: %w", c.Name, translate(err))
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM consumer_reads WHERE consumer = $1`, c.Name); err != nil {
			return fmt.Errorf("postgres: replace reads of %s: %w", c.Name, translate(err))
		}
		for i, r := range c.Reads {
			refs := make([]refJSON, 0, len(r.References))
			for _, ref := range r.References {
				refs = append(refs, refJSON{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
			}
			refsJSON, err := json.Marshal(refs)
			if err != nil {
				return fmt.Errorf("postgres: encode references: %w", err)
			}
			fields, err := json.Marshal(nonNilSlice(r.Fields))
			if err != nil {
				return fmt.Errorf("postgres: encode fields: %w", err)
			}
			_, err = tx.db.Exec(ctx, `INSERT INTO consumer_reads (ordinal, `+readColumns+`) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9)`,
				i, c.Name, r.Subject, string(r.Format), r.ReaderSchema, string(refsJSON), r.Message, string(fields), int64(r.Backfill/time.Second))
			if err != nil {
				return fmt.Errorf("postgres: insert read of %s: %w", c.Name, translate(err))
			}
		}
		return nil
	})
}

// ConsumerDelete removes a consumer; its reads go with it.
func (e *executor) ConsumerDelete(ctx context.Context, name string) error {
	tag, err := e.db.Exec(ctx, `DELETE FROM consumers WHERE name = $1`, name)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: delete consumer %q: %w", name, err)
	}
	return nil
}

const deprecationColumns = `id, subject, path, version, reason, sunset, replacement, created_at`

func scanDeprecation(row pgx.Row) (*registry.DeprecationRecord, error) {
	var d registry.DeprecationRecord
	var sunset *time.Time
	if err := row.Scan(&d.ID, &d.Subject, &d.Path, &d.Version, &d.Reason, &sunset, &d.Replacement, &d.CreatedAt); err != nil {
		return nil, translate(err)
	}
	if sunset != nil {
		d.Sunset = sunset.UTC()
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// DeprecationInsert stores a new record; registry.ErrConflict when the
// subject, path and version are already recorded.
func (e *executor) DeprecationInsert(ctx context.Context, d registry.DeprecationRecord) (*registry.DeprecationRecord, error) {
	out, err := scanDeprecation(e.db.QueryRow(ctx, `
		INSERT INTO deprecations (subject, path, version, reason, sunset, replacement, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+deprecationColumns,
		d.Subject, d.Path, d.Version, d.Reason, nullTime(d.Sunset), d.Replacement, d.CreatedAt))
	if err != nil {
		return nil, fmt.Errorf("postgres: insert deprecation: %w", err)
	}
	return out, nil
}

// DeprecationUpdate replaces a record's reason, sunset and replacement.
func (e *executor) DeprecationUpdate(ctx context.Context, d registry.DeprecationRecord) error {
	tag, err := e.db.Exec(ctx, `UPDATE deprecations SET reason = $1, sunset = $2, replacement = $3 WHERE id = $4`,
		d.Reason, nullTime(d.Sunset), d.Replacement, d.ID)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: update deprecation %d: %w", d.ID, err)
	}
	return nil
}

// DeprecationGet returns one record.
func (e *executor) DeprecationGet(ctx context.Context, id int) (*registry.DeprecationRecord, error) {
	d, err := scanDeprecation(e.db.QueryRow(ctx, `SELECT `+deprecationColumns+` FROM deprecations WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: deprecation %d: %w", id, err)
	}
	return d, nil
}

// DeprecationList lists records ordered by subject, path, version.
func (e *executor) DeprecationList(ctx context.Context, p registry.DeprecationListParams) ([]registry.DeprecationRecord, error) {
	q := `SELECT ` + deprecationColumns + ` FROM deprecations WHERE true`
	var args []any
	if p.Subject != "" {
		args = append(args, p.Subject)
		q += fmt.Sprintf(` AND subject = $%d`, len(args))
	}
	if p.SubjectPrefix != "" {
		args = append(args, p.SubjectPrefix)
		q += fmt.Sprintf(` AND left(subject, length($%d)) = $%d`, len(args), len(args))
	}
	rows, err := e.db.Query(ctx, q+` ORDER BY subject, path, version`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list deprecations: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.DeprecationRecord, error) {
		d, err := scanDeprecation(row)
		if err != nil {
			return registry.DeprecationRecord{}, err
		}
		return *d, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list deprecations: %w", translate(err))
	}
	return out, nil
}

// DeprecationDelete removes a record.
func (e *executor) DeprecationDelete(ctx context.Context, id int) error {
	tag, err := e.db.Exec(ctx, `DELETE FROM deprecations WHERE id = $1`, id)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: delete deprecation %d: %w", id, err)
	}
	return nil
}

// UsageAdd adds a batch of usage counts in one statement. Rows are merged
// per key and sorted first, so that one statement never touches a row
// twice and concurrent flushes from several processes lock rows in the
// same order.
func (e *executor) UsageAdd(ctx context.Context, batch []registry.UsageDelta) error {
	if len(batch) == 0 {
		return nil
	}
	merged := mergeUsage(batch)
	n := len(merged)
	ids, identities, counts := make([]int64, n), make([]string, n), make([]int64, n)
	firsts, lasts := make([]time.Time, n), make([]time.Time, n)
	for i, d := range merged {
		ids[i], identities[i], counts[i], firsts[i], lasts[i] = int64(d.SchemaID), d.Identity, d.Count, d.FirstSeen, d.LastSeen
	}
	_, err := e.db.Exec(ctx, `
		INSERT INTO schema_usage (schema_id, identity, count, first_seen, last_seen)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[], $5::timestamptz[])
		ON CONFLICT (schema_id, identity) DO UPDATE SET
			count = schema_usage.count + excluded.count,
			first_seen = least(schema_usage.first_seen, excluded.first_seen),
			last_seen = greatest(schema_usage.last_seen, excluded.last_seen)`,
		ids, identities, counts, firsts, lasts)
	if err != nil {
		return fmt.Errorf("postgres: add usage: %w", translate(err))
	}
	return nil
}

// mergeUsage sums deltas with the same key and sorts them by key.
func mergeUsage(batch []registry.UsageDelta) []registry.UsageDelta {
	out := slices.Clone(batch)
	slices.SortFunc(out, func(a, b registry.UsageDelta) int {
		return cmp.Or(cmp.Compare(a.SchemaID, b.SchemaID), strings.Compare(a.Identity, b.Identity))
	})
	merged := out[:0]
	for _, d := range out {
		if k := len(merged) - 1; k >= 0 && merged[k].SchemaID == d.SchemaID && merged[k].Identity == d.Identity {
			merged[k].Count += d.Count
			if d.FirstSeen.Before(merged[k].FirstSeen) {
				merged[k].FirstSeen = d.FirstSeen
			}
			if d.LastSeen.After(merged[k].LastSeen) {
				merged[k].LastSeen = d.LastSeen
			}
			continue
		}
		merged = append(merged, d)
	}
	return merged
}

// UsageList lists usage rows ordered by schema id then identity.
func (e *executor) UsageList(ctx context.Context, p registry.UsageListParams) ([]registry.Usage, error) {
	q := `SELECT schema_id, identity, count, first_seen, last_seen FROM schema_usage WHERE true`
	var args []any
	if !p.SeenSince.IsZero() {
		args = append(args, p.SeenSince)
		q += fmt.Sprintf(` AND last_seen >= $%d`, len(args))
	}
	if len(p.SchemaIDs) > 0 {
		args = append(args, p.SchemaIDs)
		q += fmt.Sprintf(` AND schema_id = ANY($%d)`, len(args))
	}
	rows, err := e.db.Query(ctx, q+` ORDER BY schema_id, identity`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list usage: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Usage, error) {
		var u registry.Usage
		err := row.Scan(&u.SchemaID, &u.Identity, &u.Count, &u.FirstSeen, &u.LastSeen)
		u.FirstSeen, u.LastSeen = u.FirstSeen.UTC(), u.LastSeen.UTC()
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list usage: %w", translate(err))
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
