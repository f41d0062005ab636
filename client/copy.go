package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/schemata-dev/schemata/srapi"
)

// Routes that copying a registry needs: listing everything at once,
// registering with an explicit id and version (IMPORT mode), and the
// config as the registry answers it, every field kept.

// Contexts lists the schema contexts in use (route GET /contexts); "." is
// the default context.
func (c *Client) Contexts(ctx context.Context) ([]string, error) {
	var out []string
	if err := c.do(ctx, request{method: http.MethodGet, path: []string{"contexts"}, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("list contexts: %w", err)
	}
	return out, nil
}

// DeleteContext deletes a schema context whose subjects were all deleted
// permanently (route DELETE /contexts/{context}). The registry refuses the
// default context "." and a context still holding a subject, soft-deleted
// ones included, with 42205, and an unknown context with 40401.
func (c *Client) DeleteContext(ctx context.Context, name string) error {
	if err := c.do(ctx, request{method: http.MethodDelete, path: []string{"contexts", name}}, nil); err != nil {
		return fmt.Errorf("delete context %q: %w", name, err)
	}
	return nil
}

// SchemasOptions filter Schemas.
type SchemasOptions struct {
	// Prefix keeps subjects whose name starts with it (subjectPrefix).
	Prefix string
	// Deleted includes soft-deleted versions (deleted).
	Deleted bool
}

// Schemas lists every subject version with its schema (route GET
// /schemas, query subjectPrefix and deleted), walking the listing a page
// at a time (AllSchemas): both this registry and Confluent cap a page.
func (c *Client) Schemas(ctx context.Context, opts *SchemasOptions) ([]SubjectVersion, error) {
	return collect(c.AllSchemas(ctx, opts))
}

func schemasQuery(opts *SchemasOptions) url.Values {
	q := url.Values{}
	if opts != nil {
		setString(q, "subjectPrefix", opts.Prefix)
		setBool(q, "deleted", opts.Deleted)
	}
	return q
}

// Import registers req under subject with the id and version it carries
// (route POST /subjects/{subject}/versions); the registry accepts those
// only in IMPORT mode. Importing what is already there answers it again,
// so Import is retried.
func (c *Client) Import(ctx context.Context, subject string, req RegisterRequest) (*Registered, error) {
	var out Registered
	err := c.do(ctx, request{
		method: http.MethodPost, path: []string{"subjects", subject, "versions"}, body: req, retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("import %q version %d (id %d): %w", subject, req.Version, req.ID, err)
	}
	return &out, nil
}

// RawConfig returns the config of subject, or the global config when
// subject is "", as the registry answers it, every field kept, so that a
// copy loses none the registry knows and this client does not (route
// GET /config or GET /config/{subject}).
func (c *Client) RawConfig(ctx context.Context, subject string) (map[string]json.RawMessage, error) {
	var out map[string]json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: configPath("config", subject), retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("get %s config: %w", subjectName(subject), err)
	}
	return out, nil
}

// SetRawConfig sends fields as the body of PUT /config or
// PUT /config/{subject}; the registry refuses fields it does not know.
func (c *Client) SetRawConfig(ctx context.Context, subject string, fields map[string]json.RawMessage) error {
	if err := c.do(ctx, request{method: http.MethodPut, path: configPath("config", subject), body: fields, retryable: true}, nil); err != nil {
		return fmt.Errorf("set %s config: %w", subjectName(subject), err)
	}
	return nil
}

// DeleteMode removes subject's own mode, so it follows the global mode
// again, and returns what it was (route DELETE /mode/{subject}).
func (c *Client) DeleteMode(ctx context.Context, subject string) (string, error) {
	var out srapi.Mode
	if err := c.do(ctx, request{method: http.MethodDelete, path: configPath("mode", subject)}, &out); err != nil {
		return "", fmt.Errorf("delete %s mode: %w", subjectName(subject), err)
	}
	return out.Mode, nil
}
