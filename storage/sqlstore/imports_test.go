package sqlstore

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsNoDriver keeps the shared layer free of database drivers:
// what is a driver's belongs in a backend's Conn or Dialect. arch_test.go
// checks the module's own packages; this checks the rest.
func TestImportsNoDriver(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	drivers := []string{"github.com/jackc/", "modernc.org/"}
	for _, dep := range strings.Fields(string(out)) {
		for _, d := range drivers {
			if strings.HasPrefix(dep, d) {
				t.Errorf("sqlstore depends on %s; drivers belong to the backends", dep)
			}
		}
	}
}
