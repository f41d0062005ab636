package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/schemata-dev/schemata/srapi"
)

// configPath is /config for the global config (subject "") and
// /config/{subject} otherwise; modePath likewise.
func configPath(kind, subject string) []string {
	if subject == "" {
		return []string{kind}
	}
	return []string{kind, subject}
}

func subjectName(subject string) string {
	if subject == "" {
		return "the global"
	}
	return strconv.Quote(subject)
}

// ConfigOptions tune Config.
type ConfigOptions struct {
	// DefaultToGlobal fills what the subject does not set from the global
	// config, instead of failing with srapi.ErrSubjectCompatNotSet.
	DefaultToGlobal bool
}

// Config returns the compatibility config of subject, or the global config
// when subject is "" (route GET /config or GET /config/{subject}, query
// defaultToGlobal).
func (c *Client) Config(ctx context.Context, subject string, opts *ConfigOptions) (*Config, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "defaultToGlobal", opts.DefaultToGlobal)
	}
	var out Config
	if err := c.do(ctx, request{method: http.MethodGet, path: configPath("config", subject), query: q, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("get %s config: %w", subjectName(subject), err)
	}
	return &out, nil
}

// SetConfig changes the fields set in u for subject, or globally when
// subject is "" (route PUT /config or PUT /config/{subject}), and returns
// the registry's echo of the update.
func (c *Client) SetConfig(ctx context.Context, subject string, u ConfigUpdate) (*ConfigUpdate, error) {
	var out ConfigUpdate
	if err := c.do(ctx, request{method: http.MethodPut, path: configPath("config", subject), body: u, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("set %s config: %w", subjectName(subject), err)
	}
	return &out, nil
}

// DeleteConfig removes subject's own config, so it inherits the global
// one again, and returns what it was (route DELETE /config/{subject}).
func (c *Client) DeleteConfig(ctx context.Context, subject string) (*Config, error) {
	var out Config
	if err := c.do(ctx, request{method: http.MethodDelete, path: configPath("config", subject)}, &out); err != nil {
		return nil, fmt.Errorf("delete %s config: %w", subjectName(subject), err)
	}
	return &out, nil
}

// ModeOptions tune Mode.
type ModeOptions struct {
	DefaultToGlobal bool
}

// Mode returns the mode of subject, or the global mode when subject is ""
// (route GET /mode or GET /mode/{subject}, query defaultToGlobal).
func (c *Client) Mode(ctx context.Context, subject string, opts *ModeOptions) (string, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "defaultToGlobal", opts.DefaultToGlobal)
	}
	var out srapi.Mode
	if err := c.do(ctx, request{method: http.MethodGet, path: configPath("mode", subject), query: q, retryable: true}, &out); err != nil {
		return "", fmt.Errorf("get %s mode: %w", subjectName(subject), err)
	}
	return out.Mode, nil
}

// SetModeOptions tune SetMode.
type SetModeOptions struct {
	// Force switches to IMPORT even though subjects exist.
	Force bool
}

// SetMode sets the mode of subject, or the global mode when subject is ""
// (route PUT /mode or PUT /mode/{subject}, query force), and returns the
// mode now in force.
func (c *Client) SetMode(ctx context.Context, subject, mode string, opts *SetModeOptions) (string, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "force", opts.Force)
	}
	var out srapi.Mode
	err := c.do(ctx, request{
		method: http.MethodPut, path: configPath("mode", subject), query: q, body: srapi.Mode{Mode: mode}, retryable: true,
	}, &out)
	if err != nil {
		return "", fmt.Errorf("set %s mode: %w", subjectName(subject), err)
	}
	return out.Mode, nil
}
