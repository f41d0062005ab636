// Package health serves the probes an orchestrator uses: /livez answers
// as long as the process serves HTTP, /readyz only while every readiness
// check passes (for the registry: the database is reachable and its
// migrations are applied) and the server is not shutting down.
//
// Failure details go to the log, never to the probe's body, which anyone
// who can reach the port may read. health depends on echo and log/slog
// only; checks are functions the composition root supplies.
package health

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// Check reports whether one dependency is ready.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// DefaultTimeout bounds each readiness check.
const DefaultTimeout = 2 * time.Second

// Checker runs the readiness checks. It is safe for concurrent use.
type Checker struct {
	checks   []Check
	timeout  time.Duration
	log      *slog.Logger
	draining atomic.Bool
}

// New returns a Checker over checks; timeout zero means DefaultTimeout.
func New(timeout time.Duration, log *slog.Logger, checks ...Check) *Checker {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if log == nil {
		log = slog.Default()
	}
	return &Checker{checks: checks, timeout: timeout, log: log}
}

// Drain makes /readyz fail from now on, so load balancers stop sending
// traffic while in-flight requests finish.
func (h *Checker) Drain() { h.draining.Store(true) }

// Status is the body of both probes.
type Status struct {
	// Status is "ok" or "unavailable".
	Status string `json:"status"`
	// Checks maps each check to "ok" or "failed".
	Checks map[string]string `json:"checks,omitempty"`
}

// errDraining is the readiness failure while shutting down.
var errDraining = errors.New("shutting down")

// Ready runs every check concurrently and returns each one's error (nil
// for success).
func (h *Checker) Ready(ctx context.Context) map[string]error {
	out := make(map[string]error, len(h.checks)+1)
	if h.draining.Load() {
		out["shutdown"] = errDraining
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, c := range h.checks {
		wg.Go(func() {
			err := c.Fn(ctx)
			mu.Lock()
			out[c.Name] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// Routes mounts GET /livez and GET /readyz on e.
func (h *Checker) Routes(e *echo.Echo) {
	e.GET("/livez", h.livez)
	e.GET("/readyz", h.readyz)
}

// livez serves GET /livez: 200 while the process serves requests.
func (h *Checker) livez(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, Status{Status: "ok"})
}

// readyz serves GET /readyz: 200 when every check passes, else 503 with
// the names of the failed checks (their errors are logged, not shown).
func (h *Checker) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	res := h.Ready(ctx)
	st := Status{Status: "ok", Checks: make(map[string]string, len(res))}
	code := http.StatusOK
	for name, err := range res {
		if err == nil {
			st.Checks[name] = "ok"
			continue
		}
		st.Status, st.Checks[name], code = "unavailable", "failed", http.StatusServiceUnavailable
		if !errors.Is(err, errDraining) {
			h.log.WarnContext(ctx, "readiness check failed", "check", name, "err", err)
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(code, st)
}
