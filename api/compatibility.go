package api

import (
	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// compatibilityResponse is Confluent's answer without verbose=true.
type compatibilityResponse struct {
	IsCompatible bool `json:"is_compatible"`
}

// verboseCompatibilityResponse is the answer with verbose=true:
// Confluent's messages (one per finding, each naming its rule ID and
// path) plus this registry's structured findings.
type verboseCompatibilityResponse struct {
	IsCompatible bool          `json:"is_compatible"`
	Messages     []string      `json:"messages"`
	Findings     []findingJSON `json:"findings"`
}

// findingJSON is one compat.Finding on the wire. Unknown positions and an
// empty consumer are omitted.
type findingJSON struct {
	RuleID    string        `json:"ruleId"`
	Severity  string        `json:"severity"`
	Path      string        `json:"path"`
	Message   string        `json:"message"`
	Version   int           `json:"version"`
	Direction string        `json:"direction"`
	New       *positionJSON `json:"new,omitempty"`
	Old       *positionJSON `json:"old,omitempty"`
	Consumer  string        `json:"consumer,omitempty"`
}

// positionJSON is a place in schema text.
type positionJSON struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func newPositionJSON(p schema.Position) *positionJSON {
	if !p.IsValid() {
		return nil
	}
	return &positionJSON{Line: p.Line, Column: p.Column}
}

func newFindingJSON(f compat.Finding) findingJSON {
	return findingJSON{
		RuleID:    f.RuleID,
		Severity:  string(f.Severity),
		Path:      f.Path,
		Message:   f.Message,
		Version:   f.Version,
		Direction: string(f.Direction),
		New:       newPositionJSON(f.New),
		Old:       newPositionJSON(f.Old),
		Consumer:  f.Consumer,
	}
}

// checkCompatibilityAll serves POST /compatibility/subjects/{subject}/versions:
// the schema in the body against every version the subject's level
// requires (a subject without versions accepts anything). Query
// parameters: verbose, normalize.
func (a *API) checkCompatibilityAll(c echo.Context) error {
	return a.checkCompatibility(c, 0)
}

// checkCompatibilityVersion serves
// POST /compatibility/subjects/{subject}/versions/{version}: the schema in
// the body against one version ("latest" or -1 for the latest). Query
// parameters: verbose, normalize.
func (a *API) checkCompatibilityVersion(c echo.Context) error {
	version, err := versionParam(c)
	if err != nil {
		return err
	}
	return a.checkCompatibility(c, version)
}

func (a *API) checkCompatibility(c echo.Context, version int) error {
	subject, _, in, err := a.bindSchema(c)
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
		return a.ok(c, compatibilityResponse{IsCompatible: res.Compatible()})
	}
	out := verboseCompatibilityResponse{
		IsCompatible: res.Compatible(),
		Messages:     orEmpty(res.Messages()),
		Findings:     make([]findingJSON, len(res.Findings)),
	}
	for i, f := range res.Findings {
		out.Findings[i] = newFindingJSON(f)
	}
	return a.ok(c, out)
}
