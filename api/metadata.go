package api

import (
	"github.com/labstack/echo/v4"
)

// metadata is what the server reports about itself.
type metadata struct {
	serverID string
	version  string
	commitID string
}

// serverIDJSON answers GET /v1/metadata/id, shaped as Confluent's
// ServerClusterId: the cluster ids under scope.clusters.
type serverIDJSON struct {
	Scope serverScopeJSON `json:"scope"`
	ID    string          `json:"id"`
}

type serverScopeJSON struct {
	Path     []string          `json:"path"`
	Clusters map[string]string `json:"clusters"`
}

// serverVersionJSON answers GET /v1/metadata/version.
type serverVersionJSON struct {
	Version  string `json:"version"`
	CommitID string `json:"commitId"`
}

// getRoot serves GET /: an empty object, as Confluent answers.
func (a *API) getRoot(c echo.Context) error {
	return a.ok(c, struct{}{})
}

// defaultContexts is the only schema context this registry has.
var defaultContexts = []string{"."}

// getContexts serves GET /contexts.
func (a *API) getContexts(c echo.Context) error {
	return a.ok(c, defaultContexts)
}

// getServerID serves GET /v1/metadata/id.
func (a *API) getServerID(c echo.Context) error {
	return a.ok(c, serverIDJSON{
		Scope: serverScopeJSON{
			Path:     []string{},
			Clusters: map[string]string{"schema-registry-cluster": a.meta.serverID},
		},
		ID: a.meta.serverID,
	})
}

// getServerVersion serves GET /v1/metadata/version.
func (a *API) getServerVersion(c echo.Context) error {
	return a.ok(c, serverVersionJSON{Version: a.meta.version, CommitID: a.meta.commitID})
}
