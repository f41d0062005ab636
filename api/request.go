package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// decodeBody reads the JSON request body into v, enforcing the body limit
// and the accepted content types.
func (a *API) decodeBody(c echo.Context, v any) error {
	_, err := a.readJSON(c, v, false)
	return err
}

// readJSON reads the request body, one JSON value and then only
// whitespace, into v and returns the body as read. It enforces the body
// limit (413) and the accepted content types (415); strict refuses
// unknown fields at any depth. Malformed JSON (400) is reported before
// trailing data (400), and both before a value of the wrong shape (422).
//
// The body is read whole, into one buffer of its declared length, and
// most bodies are decoded without a json.Decoder (see surelyKnown):
// registrations are the registry's busiest writes, and producers send
// the same few hundred bytes at every start.
func (a *API) readJSON(c echo.Context, v any, strict bool) ([]byte, error) {
	r := c.Request()
	if !srapi.IsRequestMediaType(r.Header.Get("Content-Type")) {
		return nil, httpError(codeUnsupportedMediaType, srapi.UnsupportedMediaType)
	}
	if r.ContentLength > a.maxBody {
		return nil, &http.MaxBytesError{Limit: a.maxBody}
	}
	body, err := readAll(http.MaxBytesReader(c.Response(), r.Body, a.maxBody), r.ContentLength)
	if err != nil {
		return nil, bodyError(err)
	}
	// Most bodies decode in one pass, without a Decoder's copy of them;
	// a failure, or a name that may be unknown, decodes again through
	// the Decoder (decodeWithDecoder), whose answer, the value or the
	// error, is the same as it ever was.
	if json.Unmarshal(body, v) == nil && (!strict || surelyKnown(body, reflect.TypeOf(v))) {
		return body, textAllowed(body, v)
	}
	reflect.ValueOf(v).Elem().SetZero()
	if err := decodeWithDecoder(body, v, strict); err != nil {
		return nil, err
	}
	return body, textAllowed(body, v)
}

// decodeWithDecoder decodes body into v through a json.Decoder, the
// authority on strictness and on every error's wording and precedence.
func decodeWithDecoder(body []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	if err != nil && (errors.As(err, &syntax) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return bodyError(err)
	}
	// The decoder has consumed the whole value even when it could not
	// store it.
	if !onlySpace(body[dec.InputOffset():]) {
		return httpError(codeBadRequest, "Malformed JSON request body: unexpected data after the top-level value")
	}
	if err == nil {
		return nil
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &unknownFieldError{name: name}
	}
	var mistyped *json.UnmarshalTypeError
	if errors.As(err, &mistyped) {
		// The wire names the field by its JSON path, without the Go
		// types that embed it.
		var path []string
		for _, p := range strings.Split(mistyped.Field, ".") {
			if p != "" && !unicode.IsUpper(rune(p[0])) {
				path = append(path, p)
			}
		}
		mistyped.Field = strings.Join(path, ".")
	}
	return bodyError(err)
}

// textAllowed is unencodableBody for v decoded from body. encoding/json
// decodes every string as valid UTF-8, so the only text no store can
// hold is a NUL, which JSON can carry only escaped: without one in the
// body, there is nothing to look for.
func textAllowed(body []byte, v any) error {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	return unencodableBody(v)
}

// unknownFieldError is a strict body's field the registry does not know;
// each caller answers it with its own code.
type unknownFieldError struct{ name string }

func (e *unknownFieldError) Error() string {
	return fmt.Sprintf("Unrecognized field %s: the registry does not accept it in this body", e.name)
}

// readAll reads r to its end, into a buffer of the request's declared
// length when it has one: net/http ends such a body at that length.
func readAll(r io.Reader, length int64) ([]byte, error) {
	if length <= 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, length)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// onlySpace reports whether b holds only JSON whitespace.
func onlySpace(b []byte) bool {
	for _, c := range b {
		if !isJSONSpace(c) {
			return false
		}
	}
	return true
}

// unencodableBody refuses (422) a decoded body with a NUL byte or invalid
// UTF-8 in some string: no store can hold it, and PostgreSQL would fail
// with a 500 where the embedded store would store it.
func unencodableBody(v any) error {
	if f := srapi.UnencodableField(v); f != "" {
		return httpError(codeUnprocessable, "The field %s of the request body holds a NUL byte or invalid UTF-8", f)
	}
	return nil
}

// bodyError maps a JSON decoding failure to the client's error: 413 past
// the limit, 400 for malformed JSON, 422 for well-formed JSON of the wrong
// shape (as Confluent's Jackson mappers answer).
func bodyError(err error) error {
	var (
		tooLarge *http.MaxBytesError
		syntax   *json.SyntaxError
		mistyped *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return httpError(codeUnprocessable, "Request body is empty; a JSON object is required")
	case errors.As(err, &syntax):
		return httpError(codeBadRequest, "Malformed JSON request body at offset %d: %v", syntax.Offset, syntax)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return httpError(codeBadRequest, "Malformed JSON request body: unexpected end of input")
	case errors.As(err, &mistyped):
		if mistyped.Field == "" {
			return httpError(codeUnprocessable, "Invalid request body: expected a JSON object, got JSON %s", mistyped.Value)
		}
		return httpError(codeUnprocessable, "Invalid value for %s: unexpected JSON %s", mistyped.Field, mistyped.Value)
	}
	return httpError(codeBadRequest, "Malformed JSON request body: %v", err)
}

// pathParam returns a path parameter unescaped. Echo matches on the raw
// path when the request escapes characters such as "/" (%2F), leaving its
// parameters escaped; otherwise they are already unescaped.
func pathParam(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v, nil
	}
	u, err := url.PathUnescape(v)
	if err != nil {
		return "", httpError(http.StatusNotFound, "HTTP 404 Not Found")
	}
	return u, nil
}

// subjectParam returns the {subject} path parameter, refused with 42208
// when it could never name a subject (registration refuses the same
// names), so that no store is asked about it.
func subjectParam(c echo.Context) (string, error) {
	s, err := pathParam(c, "subject")
	if err != nil {
		return "", err
	}
	return registry.CanonicalSubject(registry.QualifySubject(urlContext(c), s), true)
}

// contextParam returns the {context} path parameter, refused with 42208
// when it is not a context name (ValidateContext).
func contextParam(c echo.Context) (string, error) {
	name, err := pathParam(c, "context")
	if err != nil {
		return "", err
	}
	if err := registry.ValidateContext(name); err != nil {
		return "", err
	}
	return name, nil
}

// urlContextKey carries the context named by a /contexts/{context}/ URL
// prefix (see contextPrefix).
type urlContextKey struct{}

// urlContext is the context named by the request's /contexts/{context}/
// prefix, DefaultContext without one.
func urlContext(c echo.Context) string {
	if sc, ok := c.Request().Context().Value(urlContextKey{}).(string); ok {
		return sc
	}
	return registry.DefaultContext
}

// contextPrefix serves Confluent's base context path: any route under
// /contexts/{context}/ is the same route acting in that context, as if
// every subject it names were qualified with it (the URL a client is
// pointed at to work in one context). An invalid context is 42208. It runs
// before routing, and leaves GET /contexts itself alone.
func contextPrefix(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/contexts/")
		if !ok {
			return next(c)
		}
		raw, tail, ok := strings.Cut(rest, "/")
		if !ok || tail == "" {
			return next(c)
		}
		name, err := url.PathUnescape(raw)
		if err != nil {
			return httpError(http.StatusNotFound, "HTTP 404 Not Found")
		}
		if err := registry.ValidateContext(name); err != nil {
			return err
		}
		path, err := url.PathUnescape("/" + tail)
		if err != nil {
			return httpError(http.StatusNotFound, "HTTP 404 Not Found")
		}
		r.URL.Path, r.URL.RawPath = path, "/"+tail
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), urlContextKey{}, name)))
		return next(c)
	}
}

// listingPrefix is the subject prefix of a listing: under a
// /contexts/{context}/ prefix an unqualified prefix is qualified with the
// context.
func listingPrefix(c echo.Context, prefix string) string {
	sc := urlContext(c)
	if sc == registry.DefaultContext || strings.HasPrefix(prefix, ":") {
		return prefix
	}
	return registry.ContextPrefix(sc) + prefix
}

// idContext is the context a schema id is looked up in: that of the
// subject query parameter (Confluent's ?subject= on /schemas/ids/{id}),
// qualified with the URL's context (urlContext) as path subjects are, the
// URL's context without one. An invalid subject is 42208.
func idContext(c echo.Context) (string, error) {
	s := c.QueryParam("subject")
	if s == "" {
		return urlContext(c), nil
	}
	s, err := registry.CanonicalSubject(registry.QualifySubject(urlContext(c), s), true)
	if err != nil {
		return "", err
	}
	return registry.ContextOf(s), nil
}

// rejectUnencodable refuses, with 400, a request whose path or query
// holds a NUL byte or invalid UTF-8: no stored name contains either, and
// PostgreSQL cannot even compare with them.
func rejectUnencodable(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		if !srapi.Encodable(u.Path) {
			return httpError(http.StatusBadRequest, "The request path holds a NUL byte or invalid UTF-8")
		}
		if u.RawQuery == "" {
			// The common case, and the runtime lookups': no query to
			// parse, so the guard costs one scan of the path.
			return next(c)
		}
		for name, values := range u.Query() {
			for _, v := range values {
				if !srapi.Encodable(name) || !srapi.Encodable(v) {
					return httpError(http.StatusBadRequest, "The query parameter %q holds a NUL byte or invalid UTF-8", name)
				}
			}
		}
		return next(c)
	}
}

// versionParam parses {version}: a number in [1, 2^31-1], or "latest" or
// -1 for the latest version.
func versionParam(c echo.Context) (int, error) {
	s, err := pathParam(c, "version")
	if err != nil {
		return 0, err
	}
	if strings.EqualFold(s, "latest") {
		return registry.LatestVersion, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v == 0 || v < registry.LatestVersion || v > math.MaxInt32 {
		return 0, registry.Errorf(srapi.CodeInvalidVersion,
			"The specified version '%s' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", s)
	}
	return v, nil
}

// keyed adapts h, a handler of the resource a path names, to echo: key
// reads the resource's key from the path (an error answers instead of h).
func keyed[K any](key func(echo.Context) (K, error), h func(echo.Context, K) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		k, err := key(c)
		if err != nil {
			return err
		}
		return h(c, k)
	}
}

// global serves the global resource of h, a handler of a resource kept
// both globally and per subject (/config, /mode; keyed(subjectParam, h)
// serves the per-subject one).
func global(h func(c echo.Context, subject string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		// Under /contexts/{context}/, the context's own resource.
		return h(c, registry.ContextPrefix(urlContext(c)))
	}
}

// subjectVersionParams returns the {subject} and {version} path
// parameters, checked in that order.
func subjectVersionParams(c echo.Context) (string, int, error) {
	subject, err := subjectParam(c)
	if err != nil {
		return "", 0, err
	}
	version, err := versionParam(c)
	if err != nil {
		return "", 0, err
	}
	return subject, version, nil
}

// idParam parses {id}, a global schema id. An id that is not a positive
// number names no schema.
func idParam(c echo.Context) (int, error) {
	s := c.Param("id")
	id, err := strconv.Atoi(s)
	if err != nil || id <= 0 || id > math.MaxInt32 {
		return 0, registry.Errorf(srapi.CodeSchemaNotFound, "Schema %s not found", s)
	}
	return id, nil
}

// queryBool reads a boolean query parameter as JAX-RS does: "true" in any
// case is true, anything else (or nothing) false.
func queryBool(c echo.Context, name string) bool {
	if c.Request().URL.RawQuery == "" {
		return false
	}
	return strings.EqualFold(c.QueryParam(name), "true")
}

// queryInt reads a non-negative integer query parameter, def when absent.
func queryInt(c echo.Context, name string, def int) (int, error) {
	if c.Request().URL.RawQuery == "" {
		return def, nil
	}
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, httpError(codeBadRequest, "Query parameter %s must be an integer, got %q", name, s)
	}
	return n, nil
}

// pageParams reads Confluent's offset and limit; a limit of -1 or 0 means
// no limit.
func pageParams(c echo.Context) (offset, limit int, err error) {
	if offset, err = queryInt(c, "offset", 0); err != nil {
		return 0, 0, err
	}
	if offset < 0 {
		return 0, 0, httpError(codeBadRequest, "Query parameter offset must not be negative, got %d", offset)
	}
	if limit, err = queryInt(c, "limit", -1); err != nil {
		return 0, 0, err
	}
	if limit < 0 {
		limit = 0
	}
	return offset, limit, nil
}

// cappedPageParams is pageParams for a listing whose pages are bounded:
// no limit, or one above capLimit, is capLimit (as Confluent bounds GET
// /schemas by schema.search.max.limit).
func cappedPageParams(c echo.Context, capLimit int) (offset, limit int, err error) {
	if offset, limit, err = pageParams(c); err != nil {
		return 0, 0, err
	}
	if limit <= 0 || limit > capLimit {
		limit = capLimit
	}
	return offset, limit, nil
}

// pageOf reads offset and limit and returns the page of xs they name,
// as Confluent pages its listings (no limit: to the end). A listing
// routed here is bounded by one subject's or one schema's size, or by
// what the domain already holds in memory.
func pageOf[T any](c echo.Context, xs []T) ([]T, error) {
	offset, limit, err := pageParams(c)
	if err != nil {
		return nil, err
	}
	if offset >= len(xs) {
		return xs[:0], nil
	}
	xs = xs[offset:]
	if limit > 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs, nil
}

// bindSchema binds what every schema-carrying route shares: the subject
// from the path (through an alias, its target, on which the caller needs
// perm), the schema request from the body, and the domain input it makes
// under the normalize query parameter.
func (a *API) bindSchema(c echo.Context, perm registry.Permission) (subject string, req srapi.RegisterRequest, in registry.SchemaInput, err error) {
	if subject, err = subjectParam(c); err != nil {
		return "", req, in, err
	}
	var body registerBody
	if _, err = a.decodeStrict(c, &body, srapi.CodeUnprocessable); err != nil {
		return "", req, in, err
	}
	if err = body.unsupported(); err != nil {
		return "", req, in, err
	}
	req = body.RegisterRequest
	if in, err = schemaInput(&req, queryBool(c, "normalize")); err != nil {
		return "", req, in, err
	}
	// Through an alias, every schema-carrying route acts on its target.
	subject, err = a.resolveAlias(c, subject, perm)
	return subject, req, in, err
}
