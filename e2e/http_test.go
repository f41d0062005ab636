package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// contentType is the media type of Confluent's API.
const contentType = "application/vnd.schemaregistry.v1+json"

// newClient returns an HTTP client keeping up to conns connections alive
// per instance.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
		},
	}
}

// apiError is a non-2xx answer of the registry.
type apiError struct {
	Status    int
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("HTTP %d, error_code %d: %s", e.Status, e.ErrorCode, e.Message)
}

// do sends a request with a JSON body (when in is not nil) and decodes a
// 2xx answer into out (when not nil). Other answers are an *apiError.
func do(ctx context.Context, c *http.Client, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", contentType)
	if in != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, url, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &apiError{Status: resp.StatusCode}
		if err := json.Unmarshal(data, e); err != nil {
			e.Message = string(data)
		}
		return fmt.Errorf("%s %s: %w", method, url, e)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode %q: %w", method, url, data, err)
	}
	return nil
}

// registered is the answer of a registration.
type registered struct {
	ID      int `json:"id"`
	Version int `json:"version"`
}

// subjectVersion is the answer of GET /subjects/{s}/versions/{v}.
type subjectVersion struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
	ID      int    `json:"id"`
	Schema  string `json:"schema"`
}

// schemaByID is the answer of GET /schemas/ids/{id}.
type schemaByID struct {
	Schema string `json:"schema"`
}

func register(ctx context.Context, c *http.Client, base, subject, schema string) (registered, error) {
	var r registered
	err := do(ctx, c, http.MethodPost, base+"/subjects/"+url.PathEscape(subject)+"/versions",
		map[string]string{"schema": schema}, &r)
	return r, err
}

func getVersion(ctx context.Context, c *http.Client, base, subject, version string) (subjectVersion, error) {
	var v subjectVersion
	err := do(ctx, c, http.MethodGet, base+"/subjects/"+url.PathEscape(subject)+"/versions/"+version, nil, &v)
	return v, err
}

func getVersions(ctx context.Context, c *http.Client, base, subject string) ([]int, error) {
	var vs []int
	err := do(ctx, c, http.MethodGet, base+"/subjects/"+url.PathEscape(subject)+"/versions", nil, &vs)
	return vs, err
}

func getSchema(ctx context.Context, c *http.Client, base string, id int) (schemaByID, error) {
	var s schemaByID
	err := do(ctx, c, http.MethodGet, base+"/schemas/ids/"+strconv.Itoa(id), nil, &s)
	return s, err
}

func deleteVersion(ctx context.Context, c *http.Client, base, subject string, version int, permanent bool) error {
	u := base + "/subjects/" + url.PathEscape(subject) + "/versions/" + strconv.Itoa(version)
	if permanent {
		u += "?permanent=true"
	}
	return do(ctx, c, http.MethodDelete, u, nil, nil)
}

// setGlobalCompatibility sets the global level, and turns off this
// registry's additive-only policy so that the level alone decides.
func setGlobalCompatibility(ctx context.Context, c *http.Client, base, level string) error {
	return do(ctx, c, http.MethodPut, base+"/config", map[string]any{
		"compatibility": level,
		"additiveOnly":  false,
	}, nil)
}
