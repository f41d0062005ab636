package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// getGlobalMode serves GET /mode: the global mode.
func (a *API) getGlobalMode(c echo.Context) error {
	return a.getMode(c, registry.GlobalSubject)
}

// getSubjectMode serves GET /mode/{subject}. Query parameter:
// defaultToGlobal (fall back to the global mode; without it a subject
// with no mode of its own is 40409).
func (a *API) getSubjectMode(c echo.Context) error {
	subject, err := subjectParam(c)
	if err != nil {
		return err
	}
	return a.getMode(c, subject)
}

func (a *API) getMode(c echo.Context, subject string) error {
	m, err := a.svc.Mode(c.Request().Context(), subject, queryBool(c, "defaultToGlobal"))
	if err != nil {
		return err
	}
	return a.ok(c, srapi.Mode{Mode: string(m)})
}

// putGlobalMode serves PUT /mode with body {"mode": "READWRITE" |
// "READONLY" | "READONLY_OVERRIDE" | "IMPORT"}. Query parameter: force
// (switch to IMPORT even though subjects exist).
func (a *API) putGlobalMode(c echo.Context) error {
	return a.putMode(c, registry.GlobalSubject)
}

// putSubjectMode serves PUT /mode/{subject}, as putGlobalMode for one
// subject.
func (a *API) putSubjectMode(c echo.Context) error {
	subject, err := subjectParam(c)
	if err != nil {
		return err
	}
	return a.putMode(c, subject)
}

func (a *API) putMode(c echo.Context, subject string) error {
	var req srapi.Mode
	if err := a.decodeBody(c, &req); err != nil {
		return err
	}
	m, err := registry.ParseMode(strings.ToUpper(strings.TrimSpace(req.Mode)))
	if err != nil {
		return err
	}
	set, err := a.svc.SetMode(c.Request().Context(), subject, m, queryBool(c, "force"))
	if err != nil {
		return err
	}
	return a.ok(c, srapi.Mode{Mode: string(set)})
}

// deleteGlobalMode serves DELETE /mode: the global mode reverts to
// READWRITE. It answers the mode before.
func (a *API) deleteGlobalMode(c echo.Context) error {
	return a.deleteMode(c, registry.GlobalSubject)
}

// deleteSubjectMode serves DELETE /mode/{subject}: the subject reverts to
// the global mode. It answers the subject's mode before.
func (a *API) deleteSubjectMode(c echo.Context) error {
	subject, err := subjectParam(c)
	if err != nil {
		return err
	}
	return a.deleteMode(c, subject)
}

func (a *API) deleteMode(c echo.Context, subject string) error {
	prev, err := a.svc.DeleteMode(c.Request().Context(), subject)
	if err != nil {
		return err
	}
	return a.ok(c, srapi.Mode{Mode: string(prev)})
}
