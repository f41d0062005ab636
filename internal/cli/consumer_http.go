package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/schemata-dev/schemata/client"
)

// The consumer commands call the registry's /v1 routes (consumers,
// deprecations, reports), which the Confluent-shaped client package does
// not cover. v1 is their small JSON caller: the same registry URL,
// credentials (from the environment only), user agent, timeout and HTTP
// client as the client package, and the same *client.Error on failure.
// These calls are not retried; every one of them is safe to repeat by
// hand.

// v1 sends a JSON request to the registry and decodes the answer into out
// (when not nil). The status code is returned for callers that tell
// "created" from "unchanged".
func (a *app) v1(ctx context.Context, p *project, method, path string, query url.Values, in, out any) (int, error) {
	base, err := a.registryURL(p)
	if err != nil {
		return 0, err
	}
	target := strings.TrimRight(base, "/") + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return 0, usageErrorf("registry URL %q: %v", base, err)
	}
	req.Header.Set("Accept", "application/vnd.schemaregistry.v1+json, application/json")
	req.Header.Set("User-Agent", "schemactl/"+version())
	if in != nil {
		req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	}
	token, user, password := a.getenv(EnvToken), a.getenv(EnvUser), a.getenv(EnvPassword)
	switch {
	case token != "" && user != "":
		return 0, usageErrorf("set either $%s or $%s/$%s, not both", EnvToken, EnvUser, EnvPassword)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	case user != "":
		req.SetBasicAuth(user, password)
	}
	hc := a.httpClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, registryError(fmt.Errorf("%s %s: %w", method, path, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp.StatusCode, registryError(fmt.Errorf("%s %s: read response: %w", method, path, err))
	}
	if resp.StatusCode >= 300 {
		e := &client.Error{StatusCode: resp.StatusCode}
		var wire struct {
			ErrorCode int    `json:"error_code"`
			Message   string `json:"message"`
		}
		if json.Unmarshal(data, &wire) == nil {
			e.Code, e.Message = client.Code(wire.ErrorCode), wire.Message
		}
		return resp.StatusCode, registryError(e)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, registryError(fmt.Errorf("%s %s: decode response: %w", method, path, err))
		}
	}
	return resp.StatusCode, nil
}
