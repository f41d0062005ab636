package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestREADMEWalkthrough runs the README's deprecation walk-through, as
// written, with the built registry and schemactl binaries: deprecate a
// field, see its removal refused while a consumer reads it, move the
// consumer, shift the registry's clock past the sunset, and remove it.
// Only the port (a free one instead of 8081) and the start-up wait (a poll
// instead of `sleep 1`, which a loaded machine can outlast) are changed.
func TestREADMEWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatalf("the walk-through is a bash script: %v", err)
	}
	script := readmeBlock(t, "# 0. A registry on a data directory of its own")
	addr := freeAddr(t)
	url := "http://" + addr
	script = strings.ReplaceAll(script, "registry --data-dir", "registry --listen "+addr+" --data-dir")
	script = strings.ReplaceAll(script, "http://localhost:8081", url)
	script = strings.ReplaceAll(script, "sleep 1\n",
		"for _ in $(seq 300); do curl -sf "+url+"/subjects >/dev/null && break; sleep 0.1; done\n")

	dir := t.TempDir()
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(registryBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through: %v\n%s", err, out)
	}
	got := string(out)
	// Step 4: the removal is refused while orders-etl reads the field.
	before, after, ok := strings.Cut(got, "exit 1")
	if !ok {
		t.Fatalf("step 4 must refuse the removal with exit 1:\n%s", got)
	}
	if !strings.Contains(before, "orders-etl") {
		t.Errorf("step 4 must name the consumer orders-etl:\n%s", before)
	}
	// Step 6: past the sunset, the removal is registered as version 2.
	if !strings.Contains(after, "removable") {
		t.Errorf("step 6's report must call the field removable:\n%s", after)
	}
	if !strings.Contains(after, "version 2") {
		t.Errorf("step 6 must register the removal as version 2:\n%s", after)
	}
}

// readmeBlock returns the ```sh block of the README that starts with
// first.
func readmeBlock(t *testing.T, first string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```sh\n"+first)
	if !ok {
		t.Fatalf("README.md has no sh block starting with %q", first)
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("README.md: unterminated sh block")
	}
	return first + block
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
