package ops_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/schemata-dev/schemata/internal/ops"
)

func opsConfig(authFile string) ops.Config {
	return ops.Config{AuthConfigFile: authFile, AuditLog: ops.AuditOff}
}

// decodeToken returns the secret of a token-creation answer.
func decodeToken(t *testing.T, res response) string {
	t.Helper()
	if res.status != http.StatusCreated {
		t.Fatalf("create token: %d %s", res.status, res.body)
	}
	var info struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal(res.body, &info); err != nil || info.Token == "" {
		t.Fatalf("create token answer %s: %v", res.body, err)
	}
	return info.Token
}
