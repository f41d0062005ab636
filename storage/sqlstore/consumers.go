package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

const readColumns = `consumer, subject, format, reader_schema, reader_references, message, fields, backfill_seconds`

// ConsumerGet returns one consumer with its reads ordered by subject.
func (e *Executor) ConsumerGet(ctx context.Context, name string) (*registry.Consumer, error) {
	cs, err := e.consumers(ctx, `WHERE c.name = $1`, name)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, e.errorf("consumer %q: %w", name, registry.ErrNotFound)
	}
	return &cs[0], nil
}

// ConsumerList lists consumers ordered by name, filtered by the subject
// they read and by owner.
func (e *Executor) ConsumerList(ctx context.Context, p registry.ConsumerListParams) ([]registry.Consumer, error) {
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
	// The page is chosen once, in the consumers query, and the reads are
	// those of its names; both orders are by name, so the page is stable.
	args = append(args, limit(p.Limit), max(p.Offset, 0))
	where += fmt.Sprintf(` ORDER BY c.name LIMIT $%d OFFSET $%d`, len(args)-1, len(args))
	return e.consumers(ctx, where, args...)
}

// consumers loads the consumers that where (a WHERE clause, with any
// ORDER BY and LIMIT) selects, then their reads. The two queries may see
// different snapshots; a read whose consumer the first did not return is
// dropped.
func (e *Executor) consumers(ctx context.Context, where string, args ...any) ([]registry.Consumer, error) {
	r := e.conn.Reader()
	out, err := queryAll(ctx, r, scanConsumer,
		`SELECT c.name, c.owner, c.labels, c.created_at, c.updated_at FROM consumers c `+where, args...)
	if err != nil {
		return nil, e.errorf("list consumers: %w", e.translate(err))
	}
	if len(out) == 0 {
		return nil, nil
	}
	index := make(map[string]int, len(out))
	for i, c := range out {
		index[c.Name] = i
	}
	rrows, err := r.Query(ctx, `SELECT `+readColumns+` FROM consumer_reads
		WHERE consumer IN (SELECT c.name FROM consumers c `+where+`)
		ORDER BY consumer, subject`, args...)
	if err != nil {
		return nil, e.errorf("list consumer reads: %w", e.translate(err))
	}
	defer rrows.Close()
	for rrows.Next() {
		consumer, read, err := scanRead(rrows)
		if err != nil {
			return nil, e.errorf("list consumer reads: %w", e.translate(err))
		}
		if i, ok := index[consumer]; ok {
			out[i].Reads = append(out[i].Reads, read)
		}
	}
	if err := rrows.Err(); err != nil {
		return nil, e.errorf("list consumer reads: %w", e.translate(err))
	}
	return out, nil
}

func scanConsumer(row Row) (registry.Consumer, error) {
	var c registry.Consumer
	var labels []byte
	if err := row.Scan(&c.Name, &c.Owner, &labels, scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt)); err != nil {
		return c, err
	}
	if err := json.Unmarshal(labels, &c.Labels); err != nil {
		return c, fmt.Errorf("stored labels of %s: %w", c.Name, err)
	}
	if len(c.Labels) == 0 {
		c.Labels = nil
	}
	return c, nil
}

// scanRead scans readColumns.
func scanRead(row Row) (consumer string, r registry.ConsumerRead, err error) {
	var (
		format       string
		refs, fields []byte
		backfill     int64
	)
	if err := row.Scan(&consumer, &r.Subject, &format, &r.ReaderSchema, &refs, &r.Message, &fields, &backfill); err != nil {
		return "", r, err
	}
	r.Format, r.Backfill = schema.Format(format), time.Duration(backfill)*time.Second
	if r.References, err = decodeRefs(refs); err != nil {
		return "", r, fmt.Errorf("stored reader references of %s: %w", consumer, err)
	}
	if err := json.Unmarshal(fields, &r.Fields); err != nil {
		return "", r, fmt.Errorf("stored fields of %s: %w", consumer, err)
	}
	if len(r.Fields) == 0 {
		r.Fields = nil
	}
	return consumer, r, nil
}

// ConsumerPut inserts or replaces a consumer and its reads atomically,
// keeping the stored created_at on replace.
func (e *Executor) ConsumerPut(ctx context.Context, c registry.Consumer) error {
	labels, err := json.Marshal(nonNilMap(c.Labels))
	if err != nil {
		return e.errorf("encode labels: %w", err)
	}
	return e.atomically(ctx, func(tx *Executor) error {
		w := tx.conn.Writer()
		_, err := w.Exec(ctx, `
			INSERT INTO consumers (name, owner, labels, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, labels = excluded.labels, updated_at = excluded.updated_at`,
			c.Name, c.Owner, string(labels), tx.time(c.CreatedAt), tx.time(c.UpdatedAt))
		if err != nil {
			return tx.errorf("put consumer %s: %w", c.Name, tx.translate(err))
		}
		if _, err := w.Exec(ctx, `DELETE FROM consumer_reads WHERE consumer = $1`, c.Name); err != nil {
			return tx.errorf("replace reads of %s: %w", c.Name, tx.translate(err))
		}
		for i, r := range c.Reads {
			refs, err := encodeRefs(r.References)
			if err != nil {
				return tx.errorf("encode references: %w", err)
			}
			fields, err := json.Marshal(nonNilSlice(r.Fields))
			if err != nil {
				return tx.errorf("encode fields: %w", err)
			}
			_, err = w.Exec(ctx, `INSERT INTO consumer_reads (ordinal, `+readColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				i, c.Name, r.Subject, string(r.Format), r.ReaderSchema, string(refs), r.Message, string(fields), int64(r.Backfill/time.Second))
			if err != nil {
				return tx.errorf("insert read of %s: %w", c.Name, tx.translate(err))
			}
		}
		return nil
	})
}

// ConsumerDelete removes a consumer; its reads go with it.
func (e *Executor) ConsumerDelete(ctx context.Context, name string) error {
	if err := e.affectedOne(e.conn.Writer().Exec(ctx, `DELETE FROM consumers WHERE name = $1`, name)); err != nil {
		return e.errorf("delete consumer %q: %w", name, err)
	}
	return nil
}

// time encodes t as a statement argument.
func (e *Executor) time(t time.Time) any { return e.d.Time(t.UTC()) }

// nullTime encodes t as a statement argument, the zero time as NULL.
func (e *Executor) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return e.time(t)
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
