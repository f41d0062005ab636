package api_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportBoundaries keeps the transport layer off the storage
// implementations and the process assembly: api may see the domain, never
// what sits behind or above it.
func TestImportBoundaries(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/schemata-dev/schemata/api").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{
		"github.com/schemata-dev/schemata/storage",
		"github.com/schemata-dev/schemata/migrations",
		"github.com/schemata-dev/schemata/internal/server",
		"github.com/schemata-dev/schemata/cmd",
		"github.com/jackc/pgx",
		"modernc.org/sqlite",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("api imports %s", dep)
			}
		}
	}
}
