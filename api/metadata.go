package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/srapi"
)

// metadata is what the server reports about itself.
type metadata struct {
	serverID string
	version  string
	commitID string
}

// getRoot serves GET /: an empty object, as Confluent answers.
func (a *API) getRoot(c echo.Context) error {
	return a.ok(c, struct{}{})
}

// getContexts serves GET /contexts: the contexts in use, sorted, the
// default context "." always among them.
func (a *API) getContexts(c echo.Context) error {
	cs, err := a.svc.Contexts(c.Request().Context())
	if err != nil {
		return err
	}
	return a.ok(c, cs)
}

// deleteContext serves DELETE /contexts/{context}: 204 once the context,
// which no subject version may still use, is gone.
func (a *API) deleteContext(c echo.Context, name string) error {
	if err := a.svc.DeleteContext(c.Request().Context(), name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// getServerID serves GET /v1/metadata/id.
func (a *API) getServerID(c echo.Context) error {
	return a.ok(c, srapi.ServerID{
		Scope: srapi.ServerScope{
			Path:     []string{},
			Clusters: map[string]string{"schema-registry-cluster": a.meta.serverID},
		},
		ID: a.meta.serverID,
	})
}

// getServerVersion serves GET /v1/metadata/version.
func (a *API) getServerVersion(c echo.Context) error {
	return a.ok(c, srapi.ServerVersion{Version: a.meta.version, CommitID: a.meta.commitID})
}
