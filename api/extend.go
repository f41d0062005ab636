package api

import "github.com/labstack/echo/v4"

// Echo returns the router, so the composition root can add operational
// middleware (authentication, metrics, request ids, audit) and routes
// (health probes, /metrics, /openapi.json, the auth admin API) to the
// same instance, and tests can list the registered routes.
//
// Middleware added with Use runs after this API's own error-handling
// middleware, on matched routes; middleware added with Pre sees every
// request and, after calling next, the matched route template (c.Path())
// and the committed response.
func (a *API) Echo() *echo.Echo { return a.echo }
