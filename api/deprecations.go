package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// wireDeprecation renders a deprecation record; sunset in RFC 3339.
func wireDeprecation(d *registry.DeprecationRecord) srapi.Deprecation {
	since := d.CreatedAt.UTC()
	out := srapi.Deprecation{
		ID: d.ID, Subject: d.Subject, Path: d.Path, Version: d.Version, Scope: d.Scope(),
		Reason: d.Reason, Replacement: d.Replacement, Since: &since,
	}
	if !d.Sunset.IsZero() {
		out.Sunset = d.Sunset.UTC().Format(time.RFC3339)
	}
	return out
}

// domainDeprecation converts a request body into a deprecation record.
func domainDeprecation(dj *srapi.Deprecation) (registry.DeprecationRecord, error) {
	d := registry.DeprecationRecord{
		ID: dj.ID, Subject: dj.Subject, Path: dj.Path, Version: dj.Version,
		Reason: dj.Reason, Replacement: dj.Replacement,
	}
	sunset, err := ParseSunset(dj.Sunset)
	if err != nil {
		return d, registry.Errorf(srapi.CodeInvalidDeprecation, "%v", err)
	}
	d.Sunset = sunset
	return d, nil
}

// ParseSunset parses a sunset given as a date (midnight UTC) or an RFC
// 3339 time; "" is no sunset.
func ParseSunset(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid sunset %q: want a date such as 2026-06-01 or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// consumerName returns the {name} path parameter of a consumer.
func consumerName(c echo.Context) (string, error) {
	return pathParam(c, "name")
}

// deprecationID parses {id}.
func deprecationID(c echo.Context) (int, error) {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil || id <= 0 {
		return 0, registry.Errorf(srapi.CodeDeprecationNotFound, "Deprecation %s not found.", c.Param("id"))
	}
	return id, nil
}

// bindDeprecation decodes and validates a deprecation body.
func (h *consumerAPI) bindDeprecation(c echo.Context) (registry.DeprecationRecord, error) {
	var body srapi.Deprecation
	if err := h.decodeBody(c, &body); err != nil {
		return registry.DeprecationRecord{}, err
	}
	return domainDeprecation(&body)
}

// listDeprecations serves GET /v1/deprecations: the recorded deprecations
// (schema markers are in the report). Query parameters: subject,
// subjectPrefix, offset, limit (at most, and by default, the list limit).
func (h *consumerAPI) listDeprecations(c echo.Context) error {
	offset, limit, err := cappedPageParams(c, h.listLimit)
	if err != nil {
		return err
	}
	ds, err := h.svc.DeprecationRecords(c.Request().Context(), registry.DeprecationListParams{
		Subject: c.QueryParam("subject"), SubjectPrefix: c.QueryParam("subjectPrefix"),
		Offset: offset, Limit: limit,
	})
	if err != nil {
		return err
	}
	return h.ok(c, wireAll(ds, wireDeprecation))
}

// deprecateOptions reads the query of a deprecation write: force=true
// accepts a sunset that is not in the future or is earlier than the
// element's current one.
func deprecateOptions(c echo.Context) registry.DeprecateOptions {
	return registry.DeprecateOptions{Force: queryBool(c, "force")}
}

// createDeprecation serves POST /v1/deprecations: deprecates a field
// (path), a version, or a whole subject (neither). 201 when recorded; 200
// when the element already had a record, which is updated and keeps its
// original date.
func (h *consumerAPI) createDeprecation(c echo.Context) error {
	d, err := h.bindDeprecation(c)
	if err != nil {
		return err
	}
	res, err := h.svc.Deprecate(c.Request().Context(), d, deprecateOptions(c))
	if err != nil {
		return err
	}
	return h.created(c, res.Created, wireDeprecation(res.Record))
}

// getDeprecation serves GET /v1/deprecations/{id}.
func (h *consumerAPI) getDeprecation(c echo.Context, id int) error {
	d, err := h.svc.DeprecationRecordByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.ok(c, wireDeprecation(d))
}

// updateDeprecation serves PUT /v1/deprecations/{id}: replaces reason,
// sunset and replacement; subject, path, version and date stay.
func (h *consumerAPI) updateDeprecation(c echo.Context, id int) error {
	d, err := h.bindDeprecation(c)
	if err != nil {
		return err
	}
	d.ID = id
	res, err := h.svc.UpdateDeprecation(c.Request().Context(), d, deprecateOptions(c))
	if err != nil {
		return err
	}
	return h.ok(c, wireDeprecation(res.Record))
}

// deleteDeprecation serves DELETE /v1/deprecations/{id}: 204 once deleted.
func (h *consumerAPI) deleteDeprecation(c echo.Context, id int) error {
	if _, err := h.svc.DeleteDeprecation(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Header names of deprecation signalling on lookups.
const (
	// HeaderDeprecation carries when the resource was deprecated, as a
	// Structured Field Date (RFC 9745): "@1767225600".
	HeaderDeprecation = "Deprecation"
	// HeaderSunset carries when it goes away, as an HTTP-date (RFC 8594).
	HeaderSunset = "Sunset"
	// HeaderClientID names the client for runtime usage when the request
	// is not authenticated.
	HeaderClientID = "X-Client-Id"
)

// setDeprecationHeaders adds the Deprecation and Sunset headers for d.
func setDeprecationHeaders(h http.Header, d *registry.DeprecationRecord) {
	h.Set(HeaderDeprecation, "@"+strconv.FormatInt(d.CreatedAt.Unix(), 10))
	if !d.Sunset.IsZero() {
		h.Set(HeaderSunset, d.Sunset.UTC().Format(http.TimeFormat))
	}
}

// lookupByID wraps GET /schemas/ids/{id} and /schemas/ids/{id}/schema: it
// adds the Deprecation and Sunset headers when a deprecated subject or
// version uses the id, and records the lookup's client for runtime usage
// once answered (200 or 304). Both read memory only. The id is the one of
// the lookup's context (see idContext): the subject parameter's, or the
// /contexts/{context}/ prefix's.
func (h *consumerAPI) lookupByID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, convErr := strconv.Atoi(c.Param("id"))
		sc, ctxErr := idContext(c)
		if convErr != nil || ctxErr != nil {
			// The lookup answers the malformed request itself.
			return next(c)
		}
		key := registry.SchemaKey{Context: sc, ID: id}
		d, err := h.svc.SchemaDeprecation(c.Request().Context(), key)
		h.deprecationHeaders(c, d, err)
		err = next(c)
		if status := c.Response().Status; err == nil && (status == http.StatusOK || status == http.StatusNotModified) {
			r := c.Request()
			h.svc.RecordUsage(registry.ClientIdentity(r.Context(), r.Header.Get(HeaderClientID), r.UserAgent()), key)
		}
		return err
	}
}

// lookupVersion wraps GET /subjects/{subject}/versions/{version} and its
// /schema: it adds the Deprecation and Sunset headers when the subject or
// the version is deprecated by a record.
func (h *consumerAPI) lookupVersion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		subject, version, err := subjectVersionParams(c)
		if err != nil {
			return next(c)
		}
		d, err := h.svc.VersionDeprecation(c.Request().Context(), subject, version)
		h.deprecationHeaders(c, d, err)
		return next(c)
	}
}

// deprecationHeaders sets the headers for d. A failure to tell whether
// the resource is deprecated (the store is down while the index reloads)
// never fails the lookup itself, which may well be served from memory: it
// is logged and the headers are left out.
func (h *consumerAPI) deprecationHeaders(c echo.Context, d *registry.DeprecationRecord, err error) {
	switch {
	case err != nil:
		h.log.WarnContext(c.Request().Context(), "deprecation headers left out", "path", c.Request().URL.Path, "err", err)
	case d != nil:
		setDeprecationHeaders(c.Response().Header(), d)
	}
}
