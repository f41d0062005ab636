package serde

// This file is the package's only contact with the registry's HTTP API:
// the calls it makes through client.Client, the two extension routes the
// client does not cover yet, and the transport that reads the Deprecation
// and Sunset response headers, which client.Client does not surface.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// Header names of the registry's deprecation signalling on lookups: when
// a deprecated subject or version uses the schema answered, Deprecation
// carries the date of the deprecation as an RFC 9745 structured-field
// date ("@1767225600") and Sunset the date it goes away as an RFC 8594
// HTTP-date. Field deprecations and replacements are not signalled in
// headers; they come from GET /v1/deprecations.
const (
	headerDeprecation = "Deprecation"
	headerSunset      = "Sunset"
	// headerClientID names the pipeline in the registry's runtime usage
	// when the request is not authenticated.
	headerClientID = "X-Client-Id"
)

// remote is the registry as this package sees it.
type remote struct {
	cl   *client.Client
	hc   *http.Client
	base string
	ua   string
}

func newRemote(baseURL string, o *options) (*remote, error) {
	base := o.httpClient
	if base == nil {
		base = http.DefaultClient
	}
	// A shallow copy, so the caller's client keeps its own transport. The
	// package's own requests go through it too, so they carry the same
	// authentication.
	hc := *base
	var rt http.RoundTripper = &headerTransport{next: hc.Transport}
	var edits []func(*http.Request)
	if o.auth != nil {
		edits = append(edits, o.auth)
	}
	if o.clientID != "" {
		id := o.clientID
		edits = append(edits, func(r *http.Request) { r.Header.Set(headerClientID, id) })
	}
	if len(edits) > 0 {
		rt = &editTransport{next: rt, edits: edits}
	}
	hc.Transport = rt
	copts := append([]client.Option{
		client.WithHTTPClient(&hc), client.WithUserAgent(o.userAgent), client.WithTimeout(DefaultRequestTimeout),
	}, o.clientOptions...)
	cl, err := client.New(baseURL, copts...)
	if err != nil {
		return nil, err
	}
	return &remote{cl: cl, hc: &hc, base: cl.BaseURL(), ua: o.userAgent}, nil
}

// signal is what the response headers of one lookup said.
type signal struct {
	deprecated bool
	since      time.Time
	sunset     time.Time
}

// signalKey carries a *signal in a request's context to headerTransport.
type signalKey struct{}

// headerTransport records the deprecation headers of an answer in the
// *signal its request's context carries. Retries overwrite it, so the
// answer that was used is the one recorded.
type headerTransport struct{ next http.RoundTripper }

func (t *headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if sig, ok := r.Context().Value(signalKey{}).(*signal); ok {
		*sig = parseSignal(resp.Header)
	}
	return resp, nil
}

// editTransport sets authentication and the client id on every
// request, the client's and the package's own.
type editTransport struct {
	next  http.RoundTripper
	edits []func(*http.Request)
}

func (t *editTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for _, edit := range t.edits {
		edit(r)
	}
	return t.next.RoundTrip(r)
}

// parseSignal reads the Deprecation and Sunset headers. A Deprecation
// header that is not a structured-field date still marks the resource
// deprecated (RFC 9745 allows only dates, but a registry behind a proxy
// may send "true"); an unparsable Sunset is left zero.
func parseSignal(h http.Header) signal {
	dep := h.Get(headerDeprecation)
	if dep == "" {
		return signal{}
	}
	s := signal{deprecated: true}
	if secs, err := strconv.ParseInt(strings.TrimPrefix(dep, "@"), 10, 64); err == nil && strings.HasPrefix(dep, "@") {
		s.since = time.Unix(secs, 0).UTC()
	}
	if sun := h.Get(headerSunset); sun != "" {
		if t, err := http.ParseTime(sun); err == nil {
			s.sunset = t.UTC()
		}
	}
	return s
}

func (r *remote) schemaByID(ctx context.Context, id int) (*client.Schema, signal, error) {
	var sig signal
	s, err := r.cl.SchemaByID(context.WithValue(ctx, signalKey{}, &sig), id)
	return s, sig, err
}

func (r *remote) version(ctx context.Context, subject string, version int) (*client.SubjectVersion, signal, error) {
	var sig signal
	v, err := r.cl.Version(context.WithValue(ctx, signalKey{}, &sig), subject, version, nil)
	return v, sig, err
}

func (r *remote) register(ctx context.Context, subject string, s client.Schema, normalize bool) (int, error) {
	reg, err := r.cl.Register(ctx, subject, s, &client.RegisterOptions{Normalize: normalize})
	if err != nil {
		return 0, err
	}
	return reg.ID, nil
}

func (r *remote) lookup(ctx context.Context, subject string, s client.Schema, normalize bool) (*client.SubjectVersion, error) {
	return r.cl.Lookup(ctx, subject, s, &client.LookupOptions{Normalize: normalize})
}

// versionsOf lists the subject versions that use schema id (route
// GET /schemas/ids/{id}/versions).
func (r *remote) versionsOf(ctx context.Context, id int) ([]srapi.SubjectVersionRef, error) {
	var out []srapi.SubjectVersionRef
	err := r.get(ctx, "/schemas/ids/"+strconv.Itoa(id)+"/versions", nil, &out)
	return out, err
}

// deprecations lists the deprecation records of subject (route
// GET /v1/deprecations, query subject).
func (r *remote) deprecations(ctx context.Context, subject string) ([]srapi.Deprecation, error) {
	var out []srapi.Deprecation
	err := r.get(ctx, "/v1/deprecations", url.Values{"subject": {subject}}, &out)
	return out, err
}

// errNoRoute is an answer of 404 without a Confluent error code: the
// registry does not serve the route (a registry without the extensions).
var errNoRoute = errors.New("route not served by this registry")

// get sends one GET through the same HTTP client, authentication and
// header transport as client.Client, without its retries: a failure here
// only leaves a deprecation's details out (see fetchDeprecations).
func (r *remote) get(ctx context.Context, path string, q url.Values, out any) error {
	target := r.base + path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("build GET %s: %w", path, err)
	}
	req.Header.Set("Accept", client.ContentType+", application/json; q=0.5")
	req.Header.Set("User-Agent", r.ua)
	resp, err := r.hc.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		var e srapi.ErrorBody
		if resp.StatusCode == http.StatusNotFound && (json.Unmarshal(body, &e) != nil || e.ErrorCode == 0) {
			return fmt.Errorf("GET %s: %w", path, errNoRoute)
		}
		return fmt.Errorf("GET %s: HTTP %d: %s", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode answer to GET %s: %w", path, err)
	}
	return nil
}
