package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// raceEnabled is set when the tests run with -race (see race_test.go);
// the registry binary is then built with -race too.
var raceEnabled bool

// registryBin and schemactlBin are the paths of the binaries TestMain
// builds.
var registryBin, schemactlBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests builds cmd/registry once into a temporary directory, runs the
// tests and removes the directory.
func runTests(m *testing.M) int {
	flag.Parse() // for testing.Verbose
	dir, err := os.MkdirTemp("", "schemata-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	registryBin = filepath.Join(dir, "registry")
	schemactlBin = filepath.Join(dir, "schemactl")
	for bin, pkg := range map[string]string{registryBin: "cmd/registry", schemactlBin: "cmd/schemactl"} {
		if err := build(bin, pkg); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
			return 1
		}
	}
	return m.Run()
}

// build compiles the module's package pkg to out with the toolchain
// running the tests (go test puts its GOROOT/bin first on PATH).
func build(out, pkg string) error {
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "github.com/schemata-dev/schemata/"+pkg)
	start := time.Now()
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: %w", pkg, err)
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: built %s (race=%t) in %s\n", pkg, raceEnabled, time.Since(start).Round(time.Millisecond))
	}
	return nil
}
