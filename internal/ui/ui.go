// Package ui is the registry's web UI: server-rendered pages for browsing
// subjects and their version timelines, diffing two versions with the
// checker's findings placed on the lines they concern, checking a schema
// before registering it, and following deprecations and consumers.
//
// Pages are html/template templates and assets are embedded (embed.FS):
// the registry binary serves everything itself, makes no request to
// another host, and every page works without JavaScript. Schemas are
// syntax-highlighted on the server with chroma.
//
// ui depends on the registry domain (registry, compat, schema), on the
// CLI's report renderer (cli/report, so that the Check page reports
// exactly as `schemactl check` does) and on auth for the request's
// principal. It must not depend on api, server, any storage
// implementation or cmd/: the composition root (server/) mounts it.
package ui

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// UIService is the domain behaviour the UI reads. *registry.Service
// implements it; each method is called at most a few times per page.
type UIService interface {
	SubjectSummaries(ctx context.Context, p registry.SubjectSummaryParams) ([]registry.SubjectSummary, error)
	VersionHistory(ctx context.Context, subject string) ([]registry.SubjectVersion, error)
	Config(ctx context.Context, subject string, defaultToGlobal bool) (registry.Config, error)
	ReferencedBy(ctx context.Context, subject string, version int) ([]int, error)
	SchemaVersions(ctx context.Context, schemaContext string, id int, includeDeleted bool) ([]registry.SubjectVersion, error)
	CompareVersions(ctx context.Context, p registry.CompareParams) (*registry.VersionComparison, error)
	CheckCompatibility(ctx context.Context, p registry.CompatibilityParams) (compat.Result, error)
	Consumers(ctx context.Context, p registry.ConsumerListParams) ([]registry.Consumer, error)
	Consumer(ctx context.Context, name string) (*registry.Consumer, error)
	CheckBackfill(ctx context.Context, p registry.BackfillParams) (*registry.BackfillReport, error)
	DeprecationReport(ctx context.Context, p registry.ReportParams) (*registry.DeprecationReport, error)
}

var _ UIService = (*registry.Service)(nil)

// DefaultPageSize is the number of subjects a page of the subject list
// shows when Options leave it unset.
const DefaultPageSize = 50

// DefaultMaxSchemaBytes bounds a schema pasted or uploaded on the Check
// page when Options leave it unset.
const DefaultMaxSchemaBytes = 1 << 20

// Options configure the UI.
type Options struct {
	// BasePath is where the handler is mounted; links are built under it.
	// Default "/ui".
	BasePath string
	// Authorizer decides what the caller may see and do; nil allows
	// everything (a registry without authentication).
	Authorizer Authorizer
	// PageSize is the number of subjects per page (DefaultPageSize).
	PageSize int
	// MaxSchemaBytes bounds a schema submitted to the Check page
	// (DefaultMaxSchemaBytes).
	MaxSchemaBytes int64
	// Now returns the current time, for "3 days ago"; tests inject a clock.
	Now    func() time.Time
	Logger *slog.Logger
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// handler serves the UI.
type handler struct {
	svc   UIService
	opts  Options
	log   *slog.Logger
	pages map[string]*template.Template
	// mux serves the pages behind the cross-origin protection.
	mux http.Handler
	// css is the chroma style sheet, generated once.
	css []byte
}

// New returns the UI over svc, to be mounted at opts.BasePath.
func New(svc UIService, opts Options) http.Handler {
	if opts.BasePath == "" {
		opts.BasePath = "/ui"
	}
	opts.BasePath = "/" + strings.Trim(opts.BasePath, "/")
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.MaxSchemaBytes <= 0 {
		opts.MaxSchemaBytes = DefaultMaxSchemaBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Authorizer == nil {
		opts.Authorizer = AllowAll
	}
	h := &handler{svc: svc, opts: opts, log: opts.Logger, css: chromaCSS()}
	h.pages = mustParsePages(h.funcs())
	h.routes()
	return h
}

// routes registers every page. Subject and consumer names are path
// segments, escaped with url.PathEscape (a "/" in a subject is %2F).
func (h *handler) routes() {
	b := h.opts.BasePath
	m := http.NewServeMux()
	m.HandleFunc("GET "+b+"/{$}", h.home)
	m.HandleFunc("GET "+b+"/subjects", h.wrap(h.subjects))
	m.HandleFunc("GET "+b+"/subjects/{subject}", h.wrap(h.subject))
	m.HandleFunc("GET "+b+"/subjects/{subject}/diff", h.wrap(h.diff))
	m.HandleFunc("GET "+b+"/check", h.wrap(h.checkForm))
	m.HandleFunc("POST "+b+"/check", h.wrap(h.check))
	m.HandleFunc("GET "+b+"/deprecations", h.wrap(h.deprecations))
	m.HandleFunc("GET "+b+"/consumers", h.wrap(h.consumers))
	m.HandleFunc("GET "+b+"/consumers/{name}", h.wrap(h.consumer))
	m.HandleFunc("GET "+b+"/static/chroma.css", h.chromaCSS)
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET "+b+"/static/", http.StripPrefix(b+"/static/", cacheable(http.FileServerFS(static))))
	m.HandleFunc(b+"/", h.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return &pageError{status: http.StatusNotFound, message: "There is no such page."}
	}))
	// Credentials are ambient (a browser resends basic auth by itself),
	// so a page of another site could post the UI's forms as the user:
	// every request but GET, HEAD and OPTIONS must come from the UI's own
	// origin, as the browser's Sec-Fetch-Site or Origin says. Clients
	// that send neither (curl, scripts) are not browsers acting for
	// someone else and pass.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(h.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return &pageError{status: http.StatusForbidden, message: "The form was sent from another site. Open the page on this registry and send it from there."}
	}))
	h.mux = cop.Handler(m)
}

// ServeHTTP sets the headers every response carries and dispatches.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Every asset is served from here; nothing may be framed or fetched
	// from elsewhere.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, h.opts.BasePath+"/subjects", http.StatusSeeOther)
}

func (h *handler) chromaCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(h.css)
}

// cacheable lets browsers keep embedded assets for an hour.
func cacheable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// pageFunc handles one page and returns the error to show, if any.
type pageFunc func(w http.ResponseWriter, r *http.Request) error

// pageError is an error with the status and message to show.
type pageError struct {
	status  int
	message string
	err     error
}

func (e *pageError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%s: %v", e.message, e.err)
	}
	return e.message
}

func (e *pageError) Unwrap() error { return e.err }

func badRequest(format string, args ...any) error {
	return &pageError{status: http.StatusBadRequest, message: fmt.Sprintf(format, args...)}
}

// wrap renders the error a page returns: a domain error with its own
// message and status, a refusal, or a generic message with the cause
// logged.
func (h *handler) wrap(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status, message := http.StatusInternalServerError, "Something went wrong; the registry's log has the details."
		var pe *pageError
		var de *registry.Error
		switch {
		case errors.As(err, &pe):
			status, message = pe.status, pe.message
		case errors.Is(err, ErrUnauthenticated):
			status, message = http.StatusUnauthorized, "Sign in to see this page."
			w.Header().Set("WWW-Authenticate", `Basic realm="schemata"`)
		case errors.Is(err, ErrForbidden):
			status, message = http.StatusForbidden, err.Error()
		case errors.As(err, &de) && de.Code.HTTPStatus() < 500:
			status, message = de.Code.HTTPStatus(), de.Message
		}
		if status >= 500 {
			h.log.ErrorContext(r.Context(), "ui page failed", "path", r.URL.Path, "err", err)
		}
		h.render(w, r, status, "error", &errorPage{Status: status, StatusText: http.StatusText(status), Message: message})
	}
}

// errorPage is the data of the error template.
type errorPage struct {
	Status     int
	StatusText string
	Message    string
}
