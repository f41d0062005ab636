// Package client is a Go client for the schema registry's HTTP API: the
// Confluent Schema Registry REST API v1 plus this registry's extensions
// (structured compatibility findings, the additive-only policy and the
// other extension fields of /config).
//
// Every body it sends and receives is a type of package srapi, the API's
// contract; the aliases in this package keep the familiar names. Every
// method takes a context first, names its route and query parameters in
// its doc, and returns a *srapi.Error for answers the registry refused, so
// callers match codes with errors.Is:
//
//	_, err := c.Version(ctx, "orders-value", client.Latest, nil)
//	if errors.Is(err, srapi.ErrSubjectNotFound) { ... }
//
// Requests that are safe to repeat (GET, PUT, and the POSTs the API
// defines as idempotent: register, lookup and compatibility checks) are
// retried with exponential backoff and full jitter on connection errors,
// 5xx answers and 429; other requests and other 4xx answers are not.
//
// The package depends on srapi and the standard library only. It must not
// import the registry's domain, storage, compat or schema format packages,
// so that applications can talk to the registry without linking the
// server.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/srapi"
)

// ContentType is the media type of request and response bodies.
const ContentType = srapi.ContentType

const acceptHeader = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5"

// DefaultUserAgent is sent when no WithUserAgent option is given.
const DefaultUserAgent = "schemata-client/1"

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// RetryPolicy says how often and how patiently retryable requests are
// repeated. The delay before retry n (from 0) is drawn uniformly from
// [0, min(MaxDelay, BaseDelay·2ⁿ)) ("full jitter"); a Retry-After header
// on a 429 or 503 answer raises it to at least what the server asked for,
// capped at MaxDelay.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0
	// disables retries.
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
}

// DefaultRetryPolicy is used when no WithRetry option is given.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}

// Client talks to one registry. It is safe for concurrent use.
type Client struct {
	base      string // base URL without a trailing slash
	hc        *http.Client
	userAgent string
	auth      func(*http.Request)
	timeout   time.Duration
	retry     RetryPolicy
	logger    *slog.Logger
	// pageSize is the limit a listing walk asks for (WithPageSize).
	pageSize int
	// sleep waits d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends requests with hc instead of a default client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithBasicAuth authenticates every request with HTTP basic auth.
func WithBasicAuth(user, password string) Option {
	return func(c *Client) { c.auth = func(r *http.Request) { r.SetBasicAuth(user, password) } }
}

// WithBearerToken authenticates every request with a bearer token.
func WithBearerToken(token string) Option {
	return func(c *Client) {
		c.auth = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithTimeout bounds each attempt of each request (0: no bound beyond the
// caller's context). An attempt that times out is retried like a
// connection error when the request is retryable.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetry replaces DefaultRetryPolicy.
func WithRetry(p RetryPolicy) Option { return func(c *Client) { c.retry = p } }

// WithLogger logs retries at debug level to l.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// New returns a client for the registry at baseURL, e.g.
// "http://localhost:8081" or "https://example.com/registry".
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("registry URL %q: %w", baseURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("registry URL %q: want http(s)://host[:port][/path]", baseURL)
	}
	u.RawQuery, u.Fragment = "", ""
	c := &Client{
		base:      strings.TrimRight(u.String(), "/"),
		hc:        http.DefaultClient,
		userAgent: DefaultUserAgent,
		retry:     DefaultRetryPolicy,
		logger:    slog.New(slog.DiscardHandler),
		pageSize:  DefaultPageSize,
		sleep:     sleepCtx,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// BaseURL returns the registry URL the client talks to.
func (c *Client) BaseURL() string { return c.base }

// request describes one API call.
type request struct {
	method string
	// path segments, escaped one by one.
	path  []string
	query url.Values
	body  any
	// retryable marks requests that are safe to send more than once.
	retryable bool
}

func (c *Client) url(r request) string {
	var b strings.Builder
	b.WriteString(c.base)
	for _, seg := range r.path {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(seg))
	}
	if len(r.query) > 0 {
		b.WriteByte('?')
		b.WriteString(r.query.Encode())
	}
	return b.String()
}

// do sends r, retrying as the policy allows, and decodes a successful
// answer into out (when out is non-nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	_, err := c.doStatus(ctx, r, out)
	return err
}

// doStatus is do, also answering the HTTP status of a successful answer
// for the routes that tell "created" (201) from "unchanged" (200).
func (c *Client) doStatus(ctx context.Context, r request, out any) (int, error) {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return 0, fmt.Errorf("encode %s request: %w", r.method, err)
		}
	}
	target := c.url(r)
	for attempt := 0; ; attempt++ {
		status, err := c.attempt(ctx, r.method, target, body, out)
		if err == nil {
			return status, nil
		}
		if !r.retryable || attempt >= c.retry.MaxRetries || !retryable(ctx, err) {
			return 0, err
		}
		delay := c.backoff(attempt, err)
		c.logger.DebugContext(ctx, "retrying registry request",
			slog.String("method", r.method), slog.String("url", target),
			slog.Int("attempt", attempt+1), slog.Duration("delay", delay), slog.Any("error", err))
		if serr := c.sleep(ctx, delay); serr != nil {
			return 0, fmt.Errorf("%w (gave up retrying: %w)", err, serr)
		}
	}
}

// attempt sends one request and answers the status of a successful
// answer.
func (c *Client) attempt(ctx context.Context, method, target string, body []byte, out any) (int, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return 0, fmt.Errorf("build %s %s: %w", method, target, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ContentType)
	}
	req.Header.Set("Accept", acceptHeader)
	req.Header.Set("User-Agent", c.userAgent)
	if c.auth != nil {
		c.auth(req)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, &transportError{method: method, url: target, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return 0, decodeError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		if ctx.Err() != nil || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, &transportError{method: method, url: target, err: err}
		}
		return 0, fmt.Errorf("decode answer to %s %s: %w", method, target, err)
	}
	return resp.StatusCode, nil
}

// decodeError turns an error answer into an *Error.
func decodeError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &srapi.Error{StatusCode: resp.StatusCode, Code: srapi.Code(resp.StatusCode)}
	var b srapi.ErrorBody
	if json.Unmarshal(raw, &b) == nil && (b.ErrorCode != 0 || b.Message != "") {
		if b.ErrorCode != 0 {
			e.Code = b.ErrorCode
		}
		e.Message = b.Message
	} else {
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "…"
		}
	}
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs >= 0 {
		e.RetryAfter = time.Duration(secs) * time.Second
	}
	return e
}

// transportError is a failure to get an answer at all: the registry is
// unreachable, the connection broke or the attempt timed out.
type transportError struct {
	method, url string
	err         error
}

func (e *transportError) Error() string {
	cause := e.err
	// net/http's *url.Error repeats the method and URL already given.
	var ue *url.Error
	if errors.As(cause, &ue) {
		cause = ue.Err
	}
	return fmt.Sprintf("schema registry unreachable: %s %s: %v", e.method, e.url, cause)
}

func (e *transportError) Unwrap() error { return e.err }

// IsUnreachable reports whether err means no answer came from the
// registry (connection refused, reset, DNS failure, timeout).
func IsUnreachable(err error) bool {
	var te *transportError
	return errors.As(err, &te)
}

// retryable reports whether a failed attempt may be repeated. Errors
// caused by the caller's own context ending are final.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var e *srapi.Error
	if errors.As(err, &e) {
		return e.Temporary()
	}
	return IsUnreachable(err)
}

func (c *Client) backoff(attempt int, err error) time.Duration {
	ceiling := c.retry.BaseDelay << min(attempt, 30)
	if ceiling <= 0 || ceiling > c.retry.MaxDelay {
		ceiling = c.retry.MaxDelay
	}
	var d time.Duration
	if ceiling > 0 {
		d = rand.N(ceiling)
	}
	var e *srapi.Error
	if errors.As(err, &e) && e.RetryAfter > d {
		d = min(e.RetryAfter, c.retry.MaxDelay)
	}
	return d
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
