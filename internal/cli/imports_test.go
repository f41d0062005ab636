package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportBoundaries pins the package comment's promise: schemactl
// talks to the registry over HTTP only and never links the server side.
func TestImportBoundaries(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".", "../../cmd/schemactl").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const module = "github.com/schemata-dev/schemata/"
	for _, p := range strings.Fields(string(out)) {
		for _, banned := range []string{"internal/registry", "storage", "api", "internal/server", "migrations"} {
			if p == module+banned || strings.HasPrefix(p, module+banned+"/") {
				t.Errorf("schemactl depends on %s", p)
			}
		}
	}
}
