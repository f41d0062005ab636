// Package requestid gives every HTTP request an id, carried in the request
// context, echoed in the X-Request-Id response header and added to every
// log record written with that context, so one request's log lines,
// audit record and client report can be tied together.
//
// requestid depends on echo and log/slog only.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"

	"github.com/labstack/echo/v4"
)

// Header carries the id in both directions.
const Header = echo.HeaderXRequestID

// maxLen bounds an id accepted from a client.
const maxLen = 128

type ctxKey struct{}

// NewContext returns a copy of ctx carrying id.
func NewContext(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the request id in ctx, "" when there is none.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// New returns a fresh random id: 16 hex digits.
func New() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

// valid accepts ids a proxy or client may have set: short, printable
// ASCII without spaces or quotes, so they cannot forge log structure.
func valid(id string) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Middleware keeps a valid incoming X-Request-Id (set by a proxy or the
// client) or makes a new one, stores it in the request context and sets
// it on the response. Install it with echo's Pre, first.
func Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := req.Header.Get(Header)
		if !valid(id) {
			id = New()
		}
		c.Response().Header().Set(Header, id)
		c.SetRequest(req.WithContext(NewContext(req.Context(), id)))
		return next(c)
	}
}

// Attr is the log attribute key of the request id.
const Attr = "request_id"

// LogHandler wraps h so every record logged with a context that carries a
// request id gets a request_id attribute.
func LogHandler(h slog.Handler) slog.Handler {
	return &logHandler{h: h}
}

type logHandler struct{ h slog.Handler }

func (l *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

func (l *logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := FromContext(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String(Attr, id))
	}
	return l.h.Handle(ctx, r)
}

func (l *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logHandler{h: l.h.WithAttrs(attrs)}
}

func (l *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{h: l.h.WithGroup(name)}
}
