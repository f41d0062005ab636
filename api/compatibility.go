package api

import (
	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/compatwire"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// checkCompatibilityAll serves POST /compatibility/subjects/{subject}/versions:
// the schema in the body against every version the subject's level
// requires (a subject without versions accepts anything). Query
// parameters: verbose, normalize.
func (a *API) checkCompatibilityAll(c echo.Context) error {
	return a.checkCompatibility(c, 0)
}

// checkCompatibility serves
// POST /compatibility/subjects/{subject}/versions/{version}: the schema in
// the body against one version ("latest" or -1 for the latest), or with
// version 0 against every version checkCompatibilityAll names. Query
// parameters: verbose, normalize.
func (a *API) checkCompatibility(c echo.Context, version int) error {
	subject, _, in, err := a.bindSchema(c, registry.PermRead)
	if err != nil {
		return err
	}
	res, err := a.svc.CheckCompatibility(c.Request().Context(), registry.CompatibilityParams{
		Subject: subject,
		Schema:  in,
		Version: version,
	})
	if err != nil {
		return err
	}
	if !queryBool(c, "verbose") {
		return a.ok(c, srapi.CompatibilityCheck{IsCompatible: res.Compatible()})
	}
	messages := orEmpty(res.Messages())
	if res.Truncated > 0 {
		messages = append(messages, srapi.TruncatedMessage(res.Truncated))
	}
	return a.ok(c, srapi.VerboseCompatibilityCheck{
		IsCompatible: res.Compatible(),
		Messages:     messages,
		Findings:     compatwire.Findings(res.Findings),
		Truncated:    res.Truncated,
	})
}
