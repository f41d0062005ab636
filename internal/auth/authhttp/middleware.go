package authhttp

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/srapi"
)

// Options configure a Middleware.
type Options struct {
	Authenticator *auth.Authenticator
	// Rules are the routes' requirements; nil means DefaultRules.
	Rules []Rule
	// Realm names the registry in WWW-Authenticate challenges.
	Realm  string
	Logger *slog.Logger
}

// Middleware authenticates and authorizes requests. Install it with
// echo's Use (it needs the matched route template): a refused request is
// answered at once and never reaches the handler; an allowed one carries
// its principal in the request context (auth.FromContext).
type Middleware struct {
	authn *auth.Authenticator
	rules map[string]Rule
	realm string
	log   *slog.Logger

	routesOnce sync.Once
	routes     map[string]bool // registered method+path, built on first use
}

// New returns a Middleware.
func New(opts Options) (*Middleware, error) {
	if opts.Authenticator == nil {
		return nil, errors.New("authhttp: an Authenticator is required")
	}
	if opts.Rules == nil {
		opts.Rules = DefaultRules()
	}
	if opts.Realm == "" {
		opts.Realm = "schemata"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	m := &Middleware{authn: opts.Authenticator, rules: make(map[string]Rule, len(opts.Rules)), realm: opts.Realm, log: opts.Logger}
	for _, rule := range opts.Rules {
		key := rule.Method + " " + rule.Path
		if _, dup := m.rules[key]; dup {
			return nil, fmt.Errorf("authhttp: two rules for %s", key)
		}
		if rule.Access != Public && rule.Access != Authenticated && rule.Role == 0 {
			return nil, fmt.Errorf("authhttp: rule %s needs a role", key)
		}
		m.rules[key] = rule
	}
	return m, nil
}

// Rule returns the requirement of a route, and false when none is
// configured.
func (m *Middleware) Rule(method, path string) (Rule, bool) {
	rule, ok := m.rules[method+" "+path]
	return rule, ok
}

// Handle is the echo middleware.
func (m *Middleware) Handle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		rule := m.ruleFor(c)
		if rule.Access == Public {
			return next(c)
		}
		req := c.Request()
		p, err := m.authenticate(c)
		if throttled, ok := auth.IsThrottled(err); ok {
			m.log.WarnContext(req.Context(), "login throttled",
				"method", req.Method, "route", c.Path(), "remote_addr", req.RemoteAddr, "reason", throttled)
			c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(throttled.RetryAfter.Seconds())))))
			return writeError(c, http.StatusTooManyRequests, srapi.CodeRateLimited, "Too many failed logins; retry later")
		}
		switch {
		case errors.Is(err, auth.ErrBusy), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			c.Response().Header().Set("Retry-After", "1")
			return writeError(c, http.StatusServiceUnavailable, srapi.CodeOverloaded, "Too many logins in progress; retry later")
		case errors.Is(err, auth.ErrUnauthenticated):
			m.log.InfoContext(req.Context(), "request not authenticated",
				"method", req.Method, "route", c.Path(), "remote_addr", req.RemoteAddr, "reason", err)
			c.Response().Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q, Bearer realm=%q`, m.realm, m.realm))
			return writeError(c, http.StatusUnauthorized, srapi.CodeUnauthenticated, "Unauthorized")
		case err != nil:
			m.log.ErrorContext(req.Context(), "authentication failed", "method", req.Method, "route", c.Path(), "err", err)
			return writeError(c, http.StatusInternalServerError, srapi.CodeStoreError, srapi.StoreErrorMessage)
		}
		c.SetRequest(req.WithContext(auth.WithPrincipal(req.Context(), p)))
		if ok, what := m.authorize(c, rule, p); !ok {
			m.log.InfoContext(req.Context(), "request forbidden",
				"method", req.Method, "route", c.Path(), "principal", p.Name, "needs", what)
			return writeError(c, http.StatusForbidden, srapi.CodeForbidden,
				fmt.Sprintf("User %s is denied operation %s", p.Name, what))
		}
		return next(c)
	}
}

// ruleFor finds the rule of the matched route. A registered route without
// a rule requires a global admin, so a route added without thought is
// closed rather than open; a request that matched no route needs only to
// be authenticated, then gets its 404 or 405.
func (m *Middleware) ruleFor(c echo.Context) Rule {
	method, path := c.Request().Method, c.Path()
	if rule, ok := m.rules[method+" "+path]; ok {
		return rule
	}
	m.routesOnce.Do(func() {
		m.routes = map[string]bool{}
		for _, rt := range c.Echo().Routes() {
			m.routes[rt.Method+" "+rt.Path] = true
		}
	})
	if m.routes[method+" "+path] {
		m.log.Warn("route has no authorization rule; only global admins may call it", "method", method, "route", path)
		return Rule{Method: method, Path: path, Access: Global, Role: auth.Admin}
	}
	return Rule{Method: method, Path: path, Access: Authenticated}
}

// authenticate finds the caller: the Authorization header if present
// (never falling back when it is wrong), else a verified client
// certificate that maps to an identity, else anonymous access if on.
func (m *Middleware) authenticate(c echo.Context) (*auth.Principal, error) {
	req := c.Request()
	if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
		scheme, cred, _ := strings.Cut(h, " ")
		cred = strings.TrimSpace(cred)
		switch {
		case strings.EqualFold(scheme, "Basic"):
			raw, err := base64.StdEncoding.DecodeString(cred)
			if err != nil {
				return nil, fmt.Errorf("%w: malformed basic credentials", auth.ErrUnauthenticated)
			}
			user, password, ok := strings.Cut(string(raw), ":")
			if !ok {
				return nil, fmt.Errorf("%w: malformed basic credentials", auth.ErrUnauthenticated)
			}
			return m.authn.Basic(auth.WithClientAddress(req.Context(), clientHost(req)), user, password)
		case strings.EqualFold(scheme, "Bearer"):
			return m.authn.Bearer(req.Context(), cred)
		}
		return nil, fmt.Errorf("%w: unsupported authorization scheme", auth.ErrUnauthenticated)
	}
	if req.TLS != nil && len(req.TLS.VerifiedChains) > 0 && len(req.TLS.VerifiedChains[0]) > 0 {
		if p, err := m.authn.Certificate(req.TLS.VerifiedChains[0][0]); err == nil {
			return p, nil
		}
	}
	if p, ok := m.authn.Anonymous(); ok {
		return p, nil
	}
	return nil, fmt.Errorf("%w: no credentials", auth.ErrUnauthenticated)
}

// clientHost is the address of the peer without its port: login limits
// count per host, whatever source port each connection uses.
func clientHost(req *http.Request) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return req.RemoteAddr
	}
	return host
}

// authorize checks p against rule; when it refuses, what describes the
// operation denied.
func (m *Middleware) authorize(c echo.Context, rule Rule, p *auth.Principal) (ok bool, what string) {
	role := rule.Role
	if rule.AdminIfTrue != "" && strings.EqualFold(c.QueryParam(rule.AdminIfTrue), "true") {
		role = auth.Admin
	}
	op := operation(role)
	switch rule.Access {
	case Authenticated:
		return true, ""
	case OnSubject:
		subject, err := pathParam(c, "subject")
		if err != nil {
			return p.Allows(role, auth.ScopeGlobal, ""), op + " on every subject"
		}
		return p.Allows(role, auth.ScopeSubject, subject), fmt.Sprintf("%s on subject %q", op, subject)
	case OnPrefix:
		prefix := c.QueryParam("subjectPrefix")
		if prefix == "" {
			return p.Allows(role, auth.ScopeGlobal, ""), op + " on every subject"
		}
		return p.Allows(role, auth.ScopePrefix, prefix), fmt.Sprintf("%s on subjects starting with %q", op, prefix)
	case Global:
		return p.Allows(role, auth.ScopeGlobal, ""), op + " on every subject"
	case AnyGrant:
		return p.Allows(role, auth.ScopeAny, ""), op
	}
	return false, op
}

func operation(r auth.Role) string {
	switch r {
	case auth.Reader:
		return "Read"
	case auth.Writer:
		return "Write"
	}
	return "Admin"
}

// pathParam returns a path parameter unescaped, exactly as the API's
// handlers read it: echo leaves parameters escaped when it matched on the
// raw path (a subject containing %2F).
func pathParam(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v, nil
	}
	return url.PathUnescape(v)
}

// writeError answers with the error body of the contract.
func writeError(c echo.Context, status int, code srapi.Code, message string) error {
	c.Response().Header().Set(echo.HeaderContentType, srapi.ContentType)
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.JSON(status, srapi.ErrorBody{ErrorCode: code, Message: message})
}
