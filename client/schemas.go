package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// RegisterOptions tune Register. The zero value is the API's default.
type RegisterOptions struct {
	// Normalize asks the registry to normalize the schema first
	// (normalize=true).
	Normalize bool
}

// Register adds s to subject and returns its id, unique within the
// subject's context (route
// POST /subjects/{subject}/versions, query normalize). Registering a
// schema that is already a live version of the subject returns the
// existing id, so Register is idempotent and is retried.
func (c *Client) Register(ctx context.Context, subject string, s Schema, opts *RegisterOptions) (*Registered, error) {
	q := url.Values{}
	if opts != nil && opts.Normalize {
		q.Set("normalize", "true")
	}
	var out Registered
	err := c.do(ctx, request{
		method: http.MethodPost, path: []string{"subjects", subject, "versions"},
		query: q, body: s.Request(), retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("register schema under %q: %w", subject, err)
	}
	return &out, nil
}

// LookupOptions tune Lookup.
type LookupOptions struct {
	Normalize bool
	// Deleted also matches soft-deleted versions.
	Deleted bool
}

// Lookup finds the version of subject that holds s (route
// POST /subjects/{subject}, query normalize and deleted). It fails with
// srapi.ErrSubjectNotFound or srapi.ErrSchemaNotFound when there is none.
func (c *Client) Lookup(ctx context.Context, subject string, s Schema, opts *LookupOptions) (*SubjectVersion, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "normalize", opts.Normalize)
		setBool(q, "deleted", opts.Deleted)
	}
	var out SubjectVersion
	err := c.do(ctx, request{
		method: http.MethodPost, path: []string{"subjects", subject},
		query: q, body: s.Request(), retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("look up schema under %q: %w", subject, err)
	}
	return &out, nil
}

// SchemaByID returns the schema with id in the default context (route
// GET /schemas/ids/{id}). The answer carries no subject or version.
func (c *Client) SchemaByID(ctx context.Context, id int) (*Schema, error) {
	var out Schema
	err := c.do(ctx, request{
		method: http.MethodGet, path: []string{"schemas", "ids", strconv.Itoa(id)}, retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("get schema %d: %w", id, err)
	}
	return &out, nil
}

// SchemaByIDIn returns the schema with id in the schema context of
// subject (route GET /schemas/ids/{id}?subject=): ids are unique per
// context, and ":.ctx:name" (or ":.ctx:") names context .ctx.
func (c *Client) SchemaByIDIn(ctx context.Context, subject string, id int) (*Schema, error) {
	var out Schema
	err := c.do(ctx, request{
		method: http.MethodGet, path: []string{"schemas", "ids", strconv.Itoa(id)},
		query: url.Values{"subject": {subject}}, retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("get schema %d of %s: %w", id, subjectName(subject), err)
	}
	return &out, nil
}

// SchemaTypes lists the schema types the registry accepts (route
// GET /schemas/types).
func (c *Client) SchemaTypes(ctx context.Context) ([]string, error) {
	var out []string
	err := c.do(ctx, request{method: http.MethodGet, path: []string{"schemas", "types"}, retryable: true}, &out)
	if err != nil {
		return nil, fmt.Errorf("list schema types: %w", err)
	}
	return out, nil
}

// CompatibilityOptions tune CheckCompatibility.
type CompatibilityOptions struct {
	Normalize bool
}

// CheckCompatibility checks s against subject without registering it,
// with verbose=true so the answer carries messages and findings.
//
// With version 0 the registry checks against every version the subject's
// level requires (route POST /compatibility/subjects/{subject}/versions);
// otherwise against that version, which may be Latest (route
// POST /compatibility/subjects/{subject}/versions/{version}).
func (c *Client) CheckCompatibility(ctx context.Context, subject string, version int, s Schema, opts *CompatibilityOptions) (*CompatibilityResult, error) {
	path := []string{"compatibility", "subjects", subject, "versions"}
	if version != 0 {
		path = append(path, versionSegment(version))
	}
	q := url.Values{"verbose": {"true"}}
	if opts != nil {
		setBool(q, "normalize", opts.Normalize)
	}
	var out CompatibilityResult
	err := c.do(ctx, request{method: http.MethodPost, path: path, query: q, body: s.Request(), retryable: true}, &out)
	if err != nil {
		return nil, fmt.Errorf("check compatibility with %q: %w", subject, err)
	}
	return &out, nil
}

func versionSegment(v int) string {
	if v == Latest {
		return "latest"
	}
	return strconv.Itoa(v)
}

func setBool(q url.Values, key string, v bool) {
	if v {
		q.Set(key, "true")
	}
}
