package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// Transport-level codes: Confluent answers these with the HTTP status as
// error_code.
const (
	codeBadRequest           = http.StatusBadRequest
	codeUnprocessable        = http.StatusUnprocessableEntity
	codeRequestTooLarge      = http.StatusRequestEntityTooLarge
	codeUnsupportedMediaType = http.StatusUnsupportedMediaType
)

// Messages of the generic server errors. They never carry internal detail.
const (
	msgTimeout = "Operation timed out"
)

// httpError is a transport-level error (malformed body, bad query
// parameter, size limit) with the code and message the client sees.
func httpError(code int, format string, args ...any) *echo.HTTPError {
	return echo.NewHTTPError(code, fmt.Sprintf(format, args...))
}

// handleError is the single place where errors become HTTP responses.
//
// A *registry.Error is rendered with its code and message (its internal
// cause is logged for server-side codes); echo's routing errors get
// Confluent's "HTTP 404 Not Found" style messages; anything else is logged
// with its cause and answered with a generic 50001.
func (a *API) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		a.log.DebugContext(c.Request().Context(), "error after response was committed", "err", err)
		return
	}
	status, body := a.classify(c.Request(), err)
	if errors.Is(err, registry.ErrOverloaded) {
		c.Response().Header().Set("Retry-After", "1")
	}
	if c.Request().Method == http.MethodHead {
		c.Response().WriteHeader(status)
		return
	}
	if werr := a.writeJSON(c, status, body); werr != nil {
		a.log.DebugContext(c.Request().Context(), "writing error response", "err", werr)
	}
}

// classify maps err to an HTTP status and Confluent error body.
func (a *API) classify(r *http.Request, err error) (int, srapi.ErrorBody) {
	var (
		domain   *registry.Error
		routing  *echo.HTTPError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &domain):
		status := domain.Code.HTTPStatus()
		if status < 400 || status > 599 {
			return a.internal(r, err)
		}
		if status >= 500 {
			a.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path,
				"code", int(domain.Code), "err", err)
		}
		msg := domain.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		return status, srapi.ErrorBody{ErrorCode: srapi.Code(domain.Code), Message: msg}
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, tooLargeBody(tooLarge.Limit)
	case errors.As(err, &routing):
		return a.transport(r, routing)
	case errors.Is(err, context.DeadlineExceeded):
		a.log.WarnContext(r.Context(), "request timed out", "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, srapi.ErrorBody{ErrorCode: srapi.CodeOperationTimeout, Message: msgTimeout}
	}
	return a.internal(r, err)
}

// transport renders echo's errors and the API's own transport errors.
func (a *API) transport(r *http.Request, he *echo.HTTPError) (int, srapi.ErrorBody) {
	status := he.Code
	if status < 400 || status >= 500 {
		return a.internal(r, he)
	}
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		// Echo's own routing errors; Confluent (Jersey) words them so.
		if he == echo.ErrNotFound || he == echo.ErrMethodNotAllowed || he.Message == http.StatusText(status) {
			return status, srapi.ErrorBody{ErrorCode: srapi.Code(status), Message: fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))}
		}
	case http.StatusRequestEntityTooLarge:
		if he == echo.ErrStatusRequestEntityTooLarge {
			return status, tooLargeBody(0)
		}
	}
	msg, ok := he.Message.(string)
	if !ok || msg == "" {
		msg = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	return status, srapi.ErrorBody{ErrorCode: srapi.Code(status), Message: msg}
}

// internal logs an unexpected error with its cause and returns the generic
// store error, which reveals nothing about it.
func (a *API) internal(r *http.Request, err error) (int, srapi.ErrorBody) {
	a.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, srapi.ErrorBody{ErrorCode: srapi.CodeStoreError, Message: srapi.StoreErrorMessage}
}

func tooLargeBody(limit int64) srapi.ErrorBody {
	if limit > 0 {
		return srapi.ErrorBody{ErrorCode: codeRequestTooLarge, Message: fmt.Sprintf("Request body is larger than the limit of %d bytes", limit)}
	}
	return srapi.ErrorBody{ErrorCode: codeRequestTooLarge, Message: "Request body is too large"}
}

// observe is the one middleware: it turns panics into errors, hands
// errors to the error handler, and logs each request at debug level.
func (a *API) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		r := c.Request()
		debugging := a.log.Enabled(r.Context(), slog.LevelDebug)
		var start time.Time
		if debugging {
			start = time.Now()
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				stack := make([]byte, 8<<10)
				stack = stack[:runtime.Stack(stack, false)]
				err = fmt.Errorf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, stack)
			}
			if err != nil {
				c.Error(err)
				err = nil
			}
			if debugging {
				a.log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path,
					"status", c.Response().Status, "bytes", c.Response().Size, "duration", time.Since(start))
			}
		}()
		return next(c)
	}
}
