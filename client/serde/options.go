package serde

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/schemata-dev/schemata/client"
)

// Defaults of the Registry's options.
const (
	// DefaultCacheBytes bounds the memory the immutable answers (by id, and
	// by subject with an explicit version) may take.
	DefaultCacheBytes = 32 << 20
	// DefaultLatestTTL is how long an answer for a subject's latest
	// version is reused before the registry is asked again.
	DefaultLatestTTL = 30 * time.Second
	// DefaultLatestSubjects bounds how many subjects' latest answers are
	// kept; they point to schemas held by the byte-bounded cache.
	DefaultLatestSubjects = 10_000
	// DefaultRequestTimeout bounds each attempt of a request, so that a
	// registry that stops answering cannot hold a fetch (and every
	// caller sharing it) forever. client.WithTimeout in WithClientOptions
	// replaces it.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultUserAgent names this package to the registry, which records
	// runtime usage under it when no client id is set (WithClientID).
	DefaultUserAgent = "schemata-serde/1"
)

// Option configures a Registry.
type Option func(*options)

type options struct {
	httpClient     *http.Client
	auth           func(*http.Request)
	userAgent      string
	clientID       string
	clientOptions  []client.Option
	cacheBytes     uint64
	latestTTL      time.Duration
	latestSubjects int
	logger         *slog.Logger
	onDeprecated   func(context.Context, Deprecation)
	registerer     prometheus.Registerer
	formats        []Format
	skipDetails    bool
}

// WithHTTPClient sends requests with hc (its transport, timeout and
// redirect policy) instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

// WithBasicAuth authenticates every request with HTTP basic auth. Use it
// rather than client.WithBasicAuth in WithClientOptions: the package's own
// requests for deprecation details need the credentials too.
func WithBasicAuth(user, password string) Option {
	return func(o *options) { o.auth = func(r *http.Request) { r.SetBasicAuth(user, password) } }
}

// WithBearerToken authenticates every request with a bearer token.
func WithBearerToken(token string) Option {
	return func(o *options) { o.auth = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) } }
}

// WithClientID names this pipeline to the registry (the X-Client-Id
// header), which records its lookups under that name in its runtime
// usage when requests are not authenticated, e.g. "orders-etl-prod";
// the deprecation report lists it among the clients still reading a
// deprecated schema.
func WithClientID(id string) Option { return func(o *options) { o.clientID = id } }

// WithClientOptions passes options (retry policy, timeout, logger) to the
// underlying client.Client. Authentication and the HTTP client belong in
// WithBasicAuth, WithBearerToken and WithHTTPClient instead.
func WithClientOptions(opts ...client.Option) Option {
	return func(o *options) { o.clientOptions = append(o.clientOptions, opts...) }
}

// WithCacheBytes bounds the memory of the immutable answers; see
// Registry for how an answer is weighed.
func WithCacheBytes(n uint64) Option { return func(o *options) { o.cacheBytes = n } }

// WithLatestTTL sets how long a latest-version answer is reused.
func WithLatestTTL(d time.Duration) Option { return func(o *options) { o.latestTTL = d } }

// WithLogger sets where the default deprecation warnings go (default
// slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithOnDeprecated calls fn for every deprecation found when a schema is
// fetched, instead of the default, which logs one warning per schema id
// and deprecated element. fn runs on the goroutine that fetched the
// schema, before the lookup returns; it must not block for long.
func WithOnDeprecated(fn func(ctx context.Context, d Deprecation)) Option {
	return func(o *options) { o.onDeprecated = fn }
}

// WithRegisterer registers the package's metrics (see Metrics) with reg.
// Without it they are kept but not registered.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.registerer = reg } }

// WithFormats adds or replaces schema formats by type; Avro and Protobuf
// are built in. This is the seam for JSON Schema.
func WithFormats(fs ...Format) Option {
	return func(o *options) { o.formats = append(o.formats, fs...) }
}

// WithoutDeprecationDetails skips the two extra requests a cache miss
// makes for field deprecations and replacements (GET
// /schemas/ids/{id}/versions and GET /v1/deprecations); deprecations of
// whole subjects and versions are still seen, from the response headers,
// without their reason and replacement.
func WithoutDeprecationDetails() Option { return func(o *options) { o.skipDetails = true } }
