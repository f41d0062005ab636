// Package api serves the registry over HTTP: every community endpoint of
// the Confluent Schema Registry REST API v1, with Confluent's routes,
// request and response shapes, query parameters and error codes, plus this
// registry's extensions (verbose compatibility findings, policy fields in
// /config).
//
// Handlers are thin: they bind the request, make one call to the domain
// Service and render its answer. Every body is a type of srapi, the API's
// contract; the conversions between domain types and srapi types live
// here (findings: compatwire), never in the domain. Every error goes
// through one error handler (errors.go), which turns *registry.Error codes
// into srapi's {"error_code","message"} body and hides anything else
// behind a generic 50001.
//
// api depends on the domain packages (registry, compat, schema), on
// srapi and compatwire, and on echo. It must not depend on any storage
// implementation, on server/ or on cmd/.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// Service is the domain behaviour the API needs. *registry.Service
// implements it; tests may substitute a fake.
type Service interface {
	Register(ctx context.Context, p registry.RegisterParams) (*registry.SubjectVersion, error)
	Lookup(ctx context.Context, p registry.LookupParams) (*registry.SubjectVersion, error)
	SchemaByID(ctx context.Context, schemaContext string, id int) (*registry.Schema, error)
	// SchemaEpoch and SchemaReadable let the transport answer lookups by
	// id from its own cache of encoded answers (see responseCache).
	SchemaEpoch() uint64
	SchemaReadable(ctx context.Context, schemaContext string, id int) error
	MaxSchemaID(ctx context.Context, schemaContext string) (int, error)
	RenderSchema(ctx context.Context, schemaContext string, id int, form string) (*registry.Schema, string, error)
	SchemaVersions(ctx context.Context, schemaContext string, id int, includeDeleted bool) ([]registry.SubjectVersion, error)
	Contexts(ctx context.Context) ([]string, error)
	DeleteContext(ctx context.Context, name string) error
	Schemas(ctx context.Context, p registry.SchemaListParams) ([]registry.SubjectVersion, error)
	Subjects(ctx context.Context, p registry.SubjectListParams) ([]string, error)
	Versions(ctx context.Context, p registry.VersionsParams) ([]int, error)
	Version(ctx context.Context, subject string, version int, includeDeleted bool) (*registry.SubjectVersion, error)
	ReferencedBy(ctx context.Context, subject string, version int) ([]int, error)
	DeleteVersion(ctx context.Context, subject string, version int, permanent bool) (int, error)
	DeleteSubject(ctx context.Context, subject string, permanent bool) ([]int, error)
	CheckCompatibility(ctx context.Context, p registry.CompatibilityParams) (compat.Result, error)
	Config(ctx context.Context, subject string, defaultToGlobal bool) (registry.Config, error)
	SetConfig(ctx context.Context, subject string, c registry.Config) (registry.Config, error)
	DeleteConfig(ctx context.Context, subject string) (registry.Config, error)
	Mode(ctx context.Context, subject string, defaultToGlobal bool) (registry.Mode, error)
	SetMode(ctx context.Context, subject string, m registry.Mode, force bool) (registry.Mode, error)
	DeleteMode(ctx context.Context, subject string) (registry.Mode, error)
	// ResolveAlias returns the subject an aliased subject acts on; the
	// caller needs perm on it.
	ResolveAlias(ctx context.Context, subject string, perm registry.Permission) (string, error)
	LatestWithMetadata(ctx context.Context, subject string, props map[string]string, includeDeleted bool) (*registry.SubjectVersion, error)
}

var _ Service = (*registry.Service)(nil)

// DefaultMaxBodyBytes is the request body limit used when Options leave it
// unset: far above any real schema, far below what could exhaust memory.
const DefaultMaxBodyBytes = 8 << 20

// DefaultSchemaSearchLimit is the default and largest page of GET
// /schemas, Confluent's schema.search.default.limit and
// schema.search.max.limit.
const DefaultSchemaSearchLimit = 1000

// DefaultListLimit is the default and largest page of the /v1 listings
// (consumers, deprecations, the deprecation report's items).
const DefaultListLimit = 1000

// Options configure an API.
type Options struct {
	// Logger receives request logs (at debug level) and the causes of
	// internal errors; slog.Default when nil.
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; larger ones are answered with
	// 413. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// SchemaSearchLimit is the page of GET /schemas without a limit, and
	// the largest one it answers. Zero means DefaultSchemaSearchLimit.
	SchemaSearchLimit int
	// ListLimit is the page of a /v1 listing without a limit, and the
	// largest one it answers. Zero means DefaultListLimit.
	ListLimit int
	// CacheBytes is the process's cache budget (registry.Options'
	// CacheBytes); the encoded responses take registry.CacheResponses'
	// share of it, rounded up (ResponseCacheBytes), outside the Go heap.
	// Zero means registry.DefaultCacheBytes.
	CacheBytes int64
	// ServerID identifies this registry in GET /v1/metadata/id.
	ServerID string
	// Version and CommitID are reported by GET /v1/metadata/version; read
	// from the binary's build information when empty.
	Version  string
	CommitID string
	// Consumers serves the consumer routes (consumers.go); when nil, the
	// Service given to New is used if it implements ConsumerService.
	Consumers ConsumerService
}

// API is the HTTP handler of the registry. It is safe for concurrent use.
type API struct {
	svc     Service
	log     *slog.Logger
	maxBody int64
	// schemaLimit and listLimit cap pages (Options' SchemaSearchLimit and
	// ListLimit).
	schemaLimit, listLimit int
	echo                   *echo.Echo
	cache                  *responseCache
	meta                   metadata
	// consumers serves the /v1 consumer routes; nil leaves them unmounted.
	consumers ConsumerService
}

// New returns the API over svc.
func New(svc Service, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.SchemaSearchLimit <= 0 {
		opts.SchemaSearchLimit = DefaultSchemaSearchLimit
	}
	if opts.ListLimit <= 0 {
		opts.ListLimit = DefaultListLimit
	}
	version, commit := buildVersion()
	if opts.Version == "" {
		opts.Version = version
	}
	if opts.CommitID == "" {
		opts.CommitID = commit
	}
	a := &API{
		svc:         svc,
		log:         opts.Logger,
		maxBody:     opts.MaxBodyBytes,
		schemaLimit: opts.SchemaSearchLimit,
		listLimit:   opts.ListLimit,
		cache:       newResponseCache(registry.CacheShare(opts.CacheBytes, registry.CacheResponses)),
		meta:        metadata{serverID: opts.ServerID, version: opts.Version, commitID: opts.CommitID},
	}
	a.consumers = opts.Consumers
	if cs, ok := svc.(ConsumerService); ok && a.consumers == nil {
		a.consumers = cs
	}
	a.echo = a.routes()
	return a
}

// Close gives back the memory the encoded answers hold outside the Go
// heap, for the next API in the process to reuse: the collector cannot
// free it, so a process that makes and drops APIs (tests, an embedding
// program) closes each. The API still serves after Close, from an empty
// cache.
func (a *API) Close() { a.cache.store.Reset() }

// CacheStats reports the encoded-response cache's counts and size, for
// metrics next to the registry's own caches.
func (a *API) CacheStats() registry.CacheStat {
	return a.cache.stat()
}

// ServeHTTP serves one request. HEAD is served on every GET route as
// that GET, whose body the HTTP server discards: same status and headers,
// no body.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		get := *r
		get.Method = http.MethodGet
		r = &get
		w = headWriter{w}
	}
	a.echo.ServeHTTP(w, r)
}

// headWriter drops the body of an answer to HEAD (net/http does too, but
// a handler under test may write to a recorder).
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection.
func (h headWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// routes builds the router: one line per Confluent endpoint.
func (a *API) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.Pre(contextPrefix)
	e.Use(a.observe, rejectUnencodable)
	// Consumers, deprecations and reports (consumers.go); byID and
	// byVersion wrap the lookup handlers (once, here, not per request) to
	// add deprecation headers and record runtime usage.
	byID, byVersion := a.consumerRoutes(e)

	e.GET("/", a.getRoot)

	e.GET("/schemas", a.listSchemas)
	e.GET("/schemas/types", a.getSchemaTypes)
	e.GET("/schemas/ids/:id", byID(keyed(idParam, a.getSchemaByID)))
	e.GET("/schemas/ids/:id/schema", byID(keyed(idParam, a.getSchemaTextByID)))
	e.GET("/schemas/ids/:id/subjects", keyed(idParam, a.getSubjectsByID))
	e.GET("/schemas/ids/:id/versions", keyed(idParam, a.getVersionsByID))

	e.GET("/subjects", a.listSubjects)
	e.POST("/subjects/:subject", a.lookupSchema)
	e.DELETE("/subjects/:subject", keyed(subjectParam, a.deleteSubject))
	e.GET("/subjects/:subject/versions", keyed(subjectParam, a.listVersions))
	e.POST("/subjects/:subject/versions", a.registerSchema)
	e.GET("/subjects/:subject/versions/:version", byVersion(a.getVersion))
	e.DELETE("/subjects/:subject/versions/:version", a.deleteVersion)
	e.GET("/subjects/:subject/versions/:version/schema", byVersion(a.getVersionText))
	e.GET("/subjects/:subject/versions/:version/referencedby", a.getReferencedBy)
	e.GET("/subjects/:subject/metadata", keyed(subjectParam, a.getLatestWithMetadata))

	e.POST("/compatibility/subjects/:subject/versions", a.checkCompatibilityAll)
	e.POST("/compatibility/subjects/:subject/versions/:version", keyed(versionParam, a.checkCompatibility))

	e.GET("/config", global(a.getConfig))
	e.PUT("/config", global(a.putConfig))
	e.DELETE("/config", global(a.deleteConfig))
	e.GET("/config/:subject", keyed(subjectParam, a.getConfig))
	e.PUT("/config/:subject", keyed(subjectParam, a.putConfig))
	e.DELETE("/config/:subject", keyed(subjectParam, a.deleteConfig))

	e.GET("/mode", global(a.getMode))
	e.PUT("/mode", global(a.putMode))
	e.DELETE("/mode", global(a.deleteMode))
	e.GET("/mode/:subject", keyed(subjectParam, a.getMode))
	e.PUT("/mode/:subject", keyed(subjectParam, a.putMode))
	e.DELETE("/mode/:subject", keyed(subjectParam, a.deleteMode))

	e.GET("/contexts", a.getContexts)
	e.DELETE("/contexts/:context", keyed(contextParam, a.deleteContext))
	e.GET("/v1/metadata/id", a.getServerID)
	e.GET("/v1/metadata/version", a.getServerVersion)
	return e
}

// buildVersion reads the module version and VCS revision baked into the
// binary, "unknown" where the build recorded none.
func buildVersion() (version, commit string) {
	version, commit = "unknown", "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, commit
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			commit = s.Value
		}
	}
	return version, commit
}
