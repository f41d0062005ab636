package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// timeLayout is the fixed-width UTC text form of a time, for backends that
// store times as text: fixed width keeps text order the same as time
// order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime returns t in UTC in the fixed-width text form, with
// microseconds: a Dialect.Time for backends that keep times as text.
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// timeDest scans a time column whichever way the driver returns it: a
// time.Time (PostgreSQL's timestamptz) or text in RFC 3339 form (SQLite).
// It converts a *time.Time in place, so passing one to Scan allocates
// nothing.
type timeDest time.Time

// optTimeDest is timeDest for a nullable column: NULL scans as the zero
// time.
type optTimeDest time.Time

func scanTime(t *time.Time) *timeDest       { return (*timeDest)(t) }
func scanOptTime(t *time.Time) *optTimeDest { return (*optTimeDest)(t) }

// Scan implements sql.Scanner; pgx calls it too.
func (d *timeDest) Scan(src any) error {
	if src == nil {
		return fmt.Errorf("stored time is NULL")
	}
	return scanTimeValue((*time.Time)(d), src)
}

// Scan implements sql.Scanner; pgx calls it too.
func (d *optTimeDest) Scan(src any) error {
	if src == nil {
		*d = optTimeDest{}
		return nil
	}
	return scanTimeValue((*time.Time)(d), src)
}

func scanTimeValue(t *time.Time, src any) error {
	var text string
	switch v := src.(type) {
	case time.Time:
		*t = v.UTC()
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("stored time has type %T", src)
	}
	parsed, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", text, err)
	}
	*t = parsed.UTC()
	return nil
}

// noLimit is the LIMIT both dialects read as "every row" (PostgreSQL
// rejects SQLite's -1, SQLite rejects PostgreSQL's NULL).
const noLimit = math.MaxInt64

// limit turns a non-positive limit into noLimit.
func limit(n int) int64 {
	if n <= 0 {
		return noLimit
	}
	return int64(n)
}

// refJSON is the shape of one element of Dialect.ReferencesJSON, and of a
// consumer read's stored references.
type refJSON struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

func decodeRefs(b []byte) ([]schema.Reference, error) {
	var refs []refJSON
	if err := json.Unmarshal(b, &refs); err != nil {
		return nil, err
	}
	var out []schema.Reference
	for _, r := range refs {
		out = append(out, schema.Reference(r))
	}
	return out, nil
}

func encodeRefs(refs []schema.Reference) ([]byte, error) {
	out := make([]refJSON, 0, len(refs))
	for _, r := range refs {
		out = append(out, refJSON(r))
	}
	return json.Marshal(out)
}

// schemaRow receives the schema columns of the queries in queries.go.
type schemaRow struct {
	id                      int
	format, text            string
	metadata, ruleset, refs []byte
	fingerprint, context    string
}

func (r *schemaRow) dest() []any {
	return []any{&r.id, &r.format, &r.text, &r.metadata, &r.ruleset, &r.fingerprint, &r.refs, &r.context}
}

func (r *schemaRow) schema() (*registry.Schema, error) {
	s := &registry.Schema{ID: r.id, Format: schema.Format(r.format), Text: r.text, Fingerprint: r.fingerprint, Context: r.context}
	if r.metadata != nil {
		s.Metadata = json.RawMessage(r.metadata)
	}
	if r.ruleset != nil {
		s.RuleSet = json.RawMessage(r.ruleset)
	}
	refs, err := decodeRefs(r.refs)
	if err != nil {
		return nil, fmt.Errorf("references of schema %d: %w", r.id, err)
	}
	s.References = refs
	return s, nil
}

// nullJSON stores an empty document as NULL.
func nullJSON(m json.RawMessage) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

// nullText stores an empty string as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// deref reads a nullable text column, NULL as "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

// queryAll runs query on q and scans every row with scan.
func queryAll[T any](ctx context.Context, q Querier, scan func(Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// scanOne scans a single column of type T.
func scanOne[T any](row Row) (T, error) {
	var v T
	err := row.Scan(&v)
	return v, err
}
