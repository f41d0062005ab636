package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/ui"
)

// uiPath is where the web UI is served.
const uiPath = "/ui"

// mountUI serves the web UI under /ui/ on e. Call it after the operations
// layer is mounted: the UI is served from a middleware that runs after
// authentication and rate limiting, so a request reaches it with its
// principal in the context, and the UI authorizes each subject itself
// (readers browse, writers run checks). The UI is one sub-application,
// not API routes: it appears neither in the router's routes nor in the
// OpenAPI document, and needs no per-route authorization rule.
func mountUI(e *echo.Echo, svc *registry.Service, authEnabled bool, log *slog.Logger, now func() time.Time) {
	opts := ui.Options{BasePath: uiPath, Logger: log, Now: now}
	if authEnabled {
		opts.Authorizer = ui.PrincipalAuthorizer
	}
	h := ui.New(svc, opts)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := c.Request().URL.Path
			switch {
			case p == uiPath:
				return c.Redirect(http.StatusMovedPermanently, uiPath+"/")
			case strings.HasPrefix(p, uiPath+"/"):
				h.ServeHTTP(c.Response(), c.Request())
				return nil
			}
			return next(c)
		}
	})
}
