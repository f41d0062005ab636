package audit

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/ops/requestid"
)

// DefaultActions name the registry's write routes, keyed by
// "METHOD route-template". Other writes are named "method route".
func DefaultActions() map[string]string {
	return map[string]string{
		"POST /subjects/:subject/versions":            "schema.register",
		"DELETE /subjects/:subject/versions/:version": "version.delete",
		"DELETE /subjects/:subject":                   "subject.delete",
		"PUT /config":                                 "config.set",
		"DELETE /config":                              "config.delete",
		"PUT /config/:subject":                        "config.set",
		"DELETE /config/:subject":                     "config.delete",
		"PUT /mode":                                   "mode.set",
		"DELETE /mode":                                "mode.delete",
		"PUT /mode/:subject":                          "mode.set",
		"DELETE /mode/:subject":                       "mode.delete",
		"POST /v1/auth/tokens":                        "token.create",
		"DELETE /v1/auth/tokens/:id":                  "token.revoke",
		"PUT /v1/auth/users/:name":                    "user.set",
		"DELETE /v1/auth/users/:name":                 "user.delete",
		"POST /v1/consumers":                          "consumer.create",
		"PUT /v1/consumers/:name":                     "consumer.set",
		"DELETE /v1/consumers/:name":                  "consumer.delete",
		"POST /v1/deprecations":                       "deprecation.set",
		"PUT /v1/deprecations/:id":                    "deprecation.update",
		"DELETE /v1/deprecations/:id":                 "deprecation.delete",
	}
}

// DefaultReadOnly are the POST routes that only read (lookup and
// compatibility checks) and so are not audited.
func DefaultReadOnly() []string {
	return []string{
		"POST /subjects/:subject",
		"POST /compatibility/subjects/:subject/versions",
		"POST /compatibility/subjects/:subject/versions/:version",
		"POST /v1/consumers/:name/backfill",
	}
}

// MiddlewareOptions configure Middleware.
type MiddlewareOptions struct {
	// Actions and ReadOnly default to DefaultActions and DefaultReadOnly.
	Actions  map[string]string
	ReadOnly []string
	// Logger reports records that could not be written.
	Logger *slog.Logger
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
}

// Middleware audits every request whose method writes (anything but GET,
// HEAD and OPTIONS) unless its route only reads. Install it with echo's
// Pre, after requestid.Middleware: it writes the record once the rest of
// the chain has answered, when the route, principal and status are known.
func Middleware(l *Logger, o MiddlewareOptions) echo.MiddlewareFunc {
	if o.Actions == nil {
		o.Actions = DefaultActions()
	}
	if o.ReadOnly == nil {
		o.ReadOnly = DefaultReadOnly()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	readOnly := make(map[string]bool, len(o.ReadOnly))
	for _, k := range o.ReadOnly {
		readOnly[k] = true
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			switch req.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				return next(c)
			}
			rec := &Record{}
			c.SetRequest(req.WithContext(newContext(req.Context(), rec)))
			err := next(c)
			if err != nil {
				c.Error(err)
				err = nil
			}
			route := c.Path()
			key := req.Method + " " + route
			if route == "" || readOnly[key] {
				return err
			}
			fill(c, rec, o.Actions[key], o.Now())
			if werr := l.Write(rec); werr != nil {
				o.Logger.ErrorContext(c.Request().Context(), "audit record lost", "action", rec.Action, "err", werr)
			}
			return err
		}
	}
}

// fill completes rec from the answered request; values the handler
// annotated take precedence over those read from the path.
func fill(c echo.Context, rec *Record, action string, now time.Time) {
	req := c.Request()
	rec.Time = now.UTC()
	rec.RequestID = requestid.FromContext(req.Context())
	rec.Principal, rec.Auth = "anonymous", ""
	if p, ok := auth.FromContext(req.Context()); ok {
		rec.Principal, rec.Auth = p.Name, string(p.Method)
	}
	if action == "" {
		action = strings.ToLower(req.Method) + " " + c.Path()
	}
	rec.Action, rec.Method, rec.Route = action, req.Method, c.Path()
	if rec.Subject == "" {
		rec.Subject = param(c, "subject")
	}
	if rec.Version == 0 {
		if v, err := strconv.Atoi(param(c, "version")); err == nil && v > 0 {
			rec.Version = v
		}
	}
	if rec.Target == "" {
		for _, name := range []string{"id", "name"} {
			if v := param(c, name); v != "" {
				rec.Target = v
				break
			}
		}
	}
	rec.Permanent = rec.Permanent || strings.EqualFold(c.QueryParam("permanent"), "true")
	rec.Status = c.Response().Status
	switch {
	case rec.Status < 400:
		rec.Outcome = OutcomeSuccess
	case rec.Status == http.StatusUnauthorized || rec.Status == http.StatusForbidden || rec.Status == http.StatusTooManyRequests:
		rec.Outcome = OutcomeDenied
	default:
		rec.Outcome = OutcomeFailed
	}
	rec.RemoteAddr = req.RemoteAddr
}

// param returns a path parameter unescaped, as the handlers read it.
func param(c echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
