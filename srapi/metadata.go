package srapi

// ServerID answers GET /v1/metadata/id, shaped as Confluent's
// ServerClusterId: the cluster ids under scope.clusters.
type ServerID struct {
	Scope ServerScope `json:"scope"`
	ID    string      `json:"id"`
}

// ServerScope is the scope of a ServerID.
type ServerScope struct {
	Path     []string          `json:"path"`
	Clusters map[string]string `json:"clusters"`
}

// ServerVersion answers GET /v1/metadata/version.
type ServerVersion struct {
	Version  string `json:"version"`
	CommitID string `json:"commitId"`
}
