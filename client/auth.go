package client

import (
	"context"
	"fmt"
	"net/http"

	"github.com/schemata-dev/schemata/srapi"
)

// Whoami returns the caller's identity and grants (route
// GET /v1/auth/whoami).
func (c *Client) Whoami(ctx context.Context) (*srapi.Whoami, error) {
	var out srapi.Whoami
	if err := c.do(ctx, request{method: http.MethodGet, path: []string{"v1", "auth", "whoami"}, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("who am I: %w", err)
	}
	return &out, nil
}

// Tokens lists the API tokens, revoked ones included, never their
// secrets (route GET /v1/auth/tokens; a global admin's call), walking the
// listing a page at a time.
func (c *Client) Tokens(ctx context.Context) ([]srapi.Token, error) {
	return collect(walk[srapi.Token](ctx, c, "tokens", []string{"v1", "auth", "tokens"}, nil))
}

// CreateToken creates an API token (route POST /v1/auth/tokens) and
// returns it with its secret in Token, the only time the secret is ever
// shown. It is not retried: a repeat would create a second token.
func (c *Client) CreateToken(ctx context.Context, req srapi.CreateTokenRequest) (*srapi.Token, error) {
	var out srapi.Token
	if err := c.do(ctx, request{method: http.MethodPost, path: []string{"v1", "auth", "tokens"}, body: req}, &out); err != nil {
		return nil, fmt.Errorf("create token %q: %w", req.Name, err)
	}
	return &out, nil
}

// RevokeToken revokes the token with the given id (route
// DELETE /v1/auth/tokens/{id}). It is not retried.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	if err := c.do(ctx, request{method: http.MethodDelete, path: []string{"v1", "auth", "tokens", id}}, nil); err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	return nil
}
