package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/schemata-dev/schemata/srapi"
)

// ContentType is the media type of every response, as Confluent's
// registry answers by default.
const ContentType = srapi.ContentType

// Header values shared by every response. They are assigned directly into
// header maps on the hot path, so they must never be modified.
var (
	hdrContentType    = []string{ContentType}
	hdrImmutable      = []string{"public, max-age=31536000, immutable"}
	hdrNoCache        = []string{"no-cache"}
	hdrNosniff        = []string{"nosniff"}
	canonContentType  = http.CanonicalHeaderKey("Content-Type")
	canonETag         = http.CanonicalHeaderKey("ETag")
	canonCacheControl = http.CanonicalHeaderKey("Cache-Control")
	canonLength       = http.CanonicalHeaderKey("Content-Length")
	canonNosniff      = http.CanonicalHeaderKey("X-Content-Type-Options")
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeJSON encodes v as Confluent does: no HTML escaping (schema text
// stays readable) and no trailing newline.
func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding response: %w", err)
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}

// writeJSON renders v with the registry's content type.
func (a *API) writeJSON(c echo.Context, status int, v any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		bufPool.Put(buf)
	}()
	if err := encodeJSON(buf, v); err != nil {
		return err
	}
	h := c.Response().Header()
	h[canonContentType] = hdrContentType
	h[canonLength] = []string{strconv.Itoa(buf.Len())}
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// ok renders v with status 200.
func (a *API) ok(c echo.Context, v any) error {
	return a.writeJSON(c, http.StatusOK, v)
}

// created renders v with status 201 when an upsert created it, else 200.
func (a *API) created(c echo.Context, created bool, v any) error {
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return a.writeJSON(c, status, v)
}

// wireAll renders each element of xs with wire; the result is never nil,
// so an empty list encodes as [] rather than null.
func wireAll[D, W any](xs []D, wire func(*D) W) []W {
	out := make([]W, len(xs))
	for i := range xs {
		out[i] = wire(&xs[i])
	}
	return out
}

// writeCached writes a pre-encoded body with its validators, or 304 when
// the client already holds that representation. The header slices are
// stored as given, never copied.
func writeCached(c echo.Context, etag, length, cacheControl []string, body []byte) error {
	w := c.Response()
	h := w.Header()
	h[canonETag] = etag
	h[canonCacheControl] = cacheControl
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h[canonContentType] = hdrContentType
	h[canonNosniff] = hdrNosniff
	h[canonLength] = length
	w.WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2):
// "*" matches anything, and W/ prefixes are ignored.
func etagMatches(header, etag string) bool {
	for header != "" {
		var tag string
		tag, header, _ = strings.Cut(header, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		if tag == strings.TrimPrefix(etag, "W/") || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
