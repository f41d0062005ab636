package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// getMode serves GET /mode (the global mode) and GET /mode/{subject}.
// Query parameter: defaultToGlobal (fall back to the global mode; without
// it a subject with no mode of its own is 40409).
func (a *API) getMode(c echo.Context, subject string) error {
	m, err := a.svc.Mode(c.Request().Context(), subject, queryBool(c, "defaultToGlobal"))
	if err != nil {
		return err
	}
	return a.ok(c, srapi.Mode{Mode: string(m)})
}

// putMode serves PUT /mode and PUT /mode/{subject} with body
// {"mode": "READWRITE" | "READONLY" | "READONLY_OVERRIDE" | "IMPORT"}.
// Query parameter: force (switch to IMPORT even though subjects exist).
func (a *API) putMode(c echo.Context, subject string) error {
	var req srapi.Mode
	if err := a.decodeBody(c, &req); err != nil {
		return err
	}
	m, err := registry.ParseMode(strings.ToUpper(strings.TrimSpace(req.Mode)))
	if err != nil {
		return err
	}
	if _, err := a.svc.SetMode(c.Request().Context(), subject, m, queryBool(c, "force")); err != nil {
		return err
	}
	// Confluent echoes the request as it came.
	return a.ok(c, req)
}

// deleteMode serves DELETE /mode (the global mode reverts to READWRITE)
// and DELETE /mode/{subject} (the subject reverts to the global mode). It
// answers the mode before.
func (a *API) deleteMode(c echo.Context, subject string) error {
	prev, err := a.svc.DeleteMode(c.Request().Context(), subject)
	if err != nil {
		return err
	}
	return a.ok(c, srapi.Mode{Mode: string(prev)})
}
