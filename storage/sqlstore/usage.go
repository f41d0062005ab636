package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
)

// usageChunk is how many rows one multi-row UsageAdd statement writes:
// six parameters a row keeps a statement under SQLite's limit of 32,766
// parameters.
const usageChunk = 5000

// usageArrayChunk is how many rows one statement of array parameters
// writes. A driver keeps the buffer it encoded a statement's parameters
// into for the connection's next statement, so a statement of a whole
// 100,000-pair flush would leave megabytes pinned on every pooled
// connection that ever ran one; chunks keep that to about 150 KiB.
const usageArrayChunk = 2000

// ArrayDialect is implemented by a Dialect whose driver binds a Go slice
// as an SQL array parameter (PostgreSQL): UsageAdd then writes a whole
// batch in one statement of six array parameters, whatever its size.
type ArrayDialect interface {
	Dialect
	// UnnestUsage is the SELECT that turns the six array parameters
	// (contexts, schema ids, identities, counts, first and last seen)
	// into rows.
	UnnestUsage() string
}

// UsageAdd adds a batch of usage counts in one statement: a batch is
// bounded by the recorder (registry.UsageOptions), so its size is too.
// A batch beyond one statement's chunk (usageArrayChunk rows with array
// parameters, usageChunk without) takes one statement per chunk, in one
// transaction. Rows are merged per key and sorted first, so that one
// statement never touches a row twice and concurrent flushes from
// several processes lock rows in the same order.
func (e *Executor) UsageAdd(ctx context.Context, batch []registry.UsageDelta) error {
	merged := mergeUsage(batch)
	if len(merged) == 0 {
		return nil
	}
	size := usageChunk
	if _, ok := e.d.(ArrayDialect); ok {
		size = usageArrayChunk
	}
	if len(merged) <= size {
		return e.usageWrite(ctx, merged)
	}
	return e.atomically(ctx, func(tx *Executor) error {
		for chunk := range slices.Chunk(merged, size) {
			if err := tx.usageWrite(ctx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
}

// usageWrite adds rows in one statement, of array parameters where the
// dialect binds them.
func (e *Executor) usageWrite(ctx context.Context, rows []registry.UsageDelta) error {
	if ad, ok := e.d.(ArrayDialect); ok {
		return e.usageUnnest(ctx, ad, rows)
	}
	return e.usageUpsert(ctx, rows)
}

// usageMerge is the conflict clause of both statements. Times compare
// correctly in both backends: timestamptz in PostgreSQL, fixed-width UTC
// text in SQLite.
const usageMerge = `
		ON CONFLICT (context, schema_id, identity) DO UPDATE SET
			count = schema_usage.count + excluded.count,
			first_seen = CASE WHEN excluded.first_seen < schema_usage.first_seen
			                  THEN excluded.first_seen ELSE schema_usage.first_seen END,
			last_seen = CASE WHEN excluded.last_seen > schema_usage.last_seen
			                 THEN excluded.last_seen ELSE schema_usage.last_seen END`

// usageColumns are the columns UsageAdd writes, in its parameters' order.
const usageColumns = `INSERT INTO schema_usage (context, schema_id, identity, count, first_seen, last_seen) `

// usageUnnest adds rows in one statement of six array parameters.
func (e *Executor) usageUnnest(ctx context.Context, ad ArrayDialect, rows []registry.UsageDelta) error {
	contexts := make([]string, len(rows))
	ids := make([]int64, len(rows))
	who := make([]string, len(rows))
	counts := make([]int64, len(rows))
	first := make([]time.Time, len(rows))
	last := make([]time.Time, len(rows))
	for i, d := range rows {
		contexts[i], ids[i], who[i], counts[i] = usageContext(d), int64(d.SchemaID), d.Identity, d.Count
		first[i], last[i] = d.FirstSeen.UTC(), d.LastSeen.UTC()
	}
	q := usageColumns + ad.UnnestUsage() + usageMerge
	if _, err := e.conn.Writer().Exec(ctx, q, contexts, ids, who, counts, first, last); err != nil {
		return e.errorf("add usage: %w", e.translate(err))
	}
	return nil
}

// usageUpsert adds rows in one multi-row statement.
func (e *Executor) usageUpsert(ctx context.Context, rows []registry.UsageDelta) error {
	var q strings.Builder
	q.WriteString(usageColumns + `VALUES `)
	args := make([]any, 0, 6*len(rows))
	for i, d := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6)
		args = append(args, usageContext(d), d.SchemaID, d.Identity, d.Count, e.time(d.FirstSeen), e.time(d.LastSeen))
	}
	q.WriteString(usageMerge)
	if _, err := e.conn.Writer().Exec(ctx, q.String(), args...); err != nil {
		return e.errorf("add usage: %w", e.translate(err))
	}
	return nil
}

// usageContext is the context a delta is stored under: an empty one is
// the default context.
func usageContext(d registry.UsageDelta) string {
	if d.Context == "" {
		return registry.DefaultContext
	}
	return d.Context
}

// mergeUsage sums deltas with the same key and sorts them by key.
func mergeUsage(batch []registry.UsageDelta) []registry.UsageDelta {
	out := slices.Clone(batch)
	for i := range out {
		out[i].Context = usageContext(out[i])
	}
	slices.SortFunc(out, func(a, b registry.UsageDelta) int {
		return cmp.Or(strings.Compare(a.Context, b.Context), cmp.Compare(a.SchemaID, b.SchemaID), strings.Compare(a.Identity, b.Identity))
	})
	merged := out[:0]
	for _, d := range out {
		if k := len(merged) - 1; k >= 0 && merged[k].Context == d.Context && merged[k].SchemaID == d.SchemaID && merged[k].Identity == d.Identity {
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

// UsageList lists usage rows ordered by context, schema id, then
// identity.
func (e *Executor) UsageList(ctx context.Context, p registry.UsageListParams) ([]registry.Usage, error) {
	q := `SELECT context, schema_id, identity, count, first_seen, last_seen FROM schema_usage WHERE true`
	var args []any
	if p.Context != "" {
		args = append(args, p.Context)
		q += fmt.Sprintf(` AND context = $%d`, len(args))
	}
	if !p.SeenSince.IsZero() {
		args = append(args, e.time(p.SeenSince))
		q += fmt.Sprintf(` AND last_seen >= $%d`, len(args))
	}
	if len(p.SchemaIDs) > 0 {
		marks := make([]string, len(p.SchemaIDs))
		for i, id := range p.SchemaIDs {
			args = append(args, id)
			marks[i] = fmt.Sprintf("$%d", len(args))
		}
		q += ` AND schema_id IN (` + strings.Join(marks, ", ") + `)`
	}
	out, err := queryAll(ctx, e.conn.Reader(), func(row Row) (registry.Usage, error) {
		var u registry.Usage
		err := row.Scan(&u.Context, &u.SchemaID, &u.Identity, &u.Count, scanTime(&u.FirstSeen), scanTime(&u.LastSeen))
		return u, err
	}, q+` ORDER BY context, schema_id, identity`, args...)
	if err != nil {
		return nil, e.errorf("list usage: %w", e.translate(err))
	}
	return out, nil
}
