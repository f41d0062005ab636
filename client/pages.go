package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/schemata-dev/schemata/srapi"
)

// DefaultPageSize is how many entries a listing asks for per request: at
// most what this registry and Confluent answer in one page (1,000 by
// default), so a walk never relies on a server's larger cap.
const DefaultPageSize = 500

// WithPageSize sets how many entries each request of a listing walk asks
// for (DefaultPageSize when n <= 0).
func WithPageSize(n int) Option {
	return func(c *Client) {
		if n > 0 {
			c.pageSize = n
		}
	}
}

// walk yields every entry of the listing at path, requesting it a page at
// a time with offset and limit and moving on by what each page held, until
// a page is empty: a server whose cap is below the page asked for still
// gets walked to the end. A server that ignores offset and limit answers
// more than asked, or the same first entry again: what it answered first
// is taken as the whole listing. Memory holds one page.
func walk[T any](ctx context.Context, c *Client, what string, path []string, q url.Values) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		size := c.pageSize
		q = cloneValues(q)
		q.Set("limit", strconv.Itoa(size))
		var first json.RawMessage
		for offset := 0; ; {
			q.Set("offset", strconv.Itoa(offset))
			var page []json.RawMessage
			if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, retryable: true}, &page); err != nil {
				yield(zero, fmt.Errorf("list %s: %w", what, err))
				return
			}
			if len(page) == 0 || (offset > 0 && bytes.Equal(page[0], first)) {
				return
			}
			if offset == 0 {
				first = page[0]
			}
			for _, raw := range page {
				var x T
				if err := json.Unmarshal(raw, &x); err != nil {
					yield(zero, fmt.Errorf("list %s: decode an entry: %w", what, err))
					return
				}
				if !yield(x, nil) {
					return
				}
			}
			if len(page) > size {
				return
			}
			offset += len(page)
		}
	}
}

// collect gathers a walk into a slice, stopping at its first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for x, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// AllSubjects walks the subject names a page at a time (route GET
// /subjects with offset and limit, and opts as Subjects takes them).
func (c *Client) AllSubjects(ctx context.Context, opts *SubjectsOptions) iter.Seq2[string, error] {
	return walk[string](ctx, c, "subjects", []string{"subjects"}, subjectsQuery(opts))
}

// AllSchemas walks every subject version with its schema a page at a time
// (route GET /schemas with offset and limit, and opts as Schemas takes
// them).
func (c *Client) AllSchemas(ctx context.Context, opts *SchemasOptions) iter.Seq2[SubjectVersion, error] {
	return walk[SubjectVersion](ctx, c, "schemas", []string{"schemas"}, schemasQuery(opts))
}

// AllConsumers walks the registered consumers a page at a time (route GET
// /v1/consumers with offset and limit, and opts as Consumers takes them).
func (c *Client) AllConsumers(ctx context.Context, opts *ConsumersOptions) iter.Seq2[srapi.Consumer, error] {
	return walk[srapi.Consumer](ctx, c, "consumers", []string{"v1", "consumers"}, consumersQuery(opts))
}

// AllDeprecations walks the recorded deprecations a page at a time (route
// GET /v1/deprecations with offset and limit, and opts as Deprecations
// takes them).
func (c *Client) AllDeprecations(ctx context.Context, opts *DeprecationsOptions) iter.Seq2[srapi.Deprecation, error] {
	return walk[srapi.Deprecation](ctx, c, "deprecations", []string{"v1", "deprecations"}, deprecationsQuery(opts))
}
