package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// refundProto is a second schema importing common.proto, so that two
// subjects share one referenced file.
const refundProto = `syntax = "proto3";
package shop.v1;

import "common.proto";

message Refund {
  string id = 1;
  Money amount = 2;
}
`

// readCounter counts the schema file reads of schemactl runs.
type readCounter struct {
	mu    sync.Mutex
	reads map[string]int
}

func (c *readCounter) readFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[filepath.ToSlash(name)]++
	c.mu.Unlock()
	return os.ReadFile(name)
}

// TestCommandsReadEachFileOnce runs the commands that load schema files
// over a project in which two schemas import a third, and counts the
// reads: each file a command needs, in the working tree and in a
// baseline directory, is read exactly once, however many schemas use it
// and however many steps (parse, resolve references, send to the
// registry, compare with the baseline) need its text.
func TestCommandsReadEachFileOnce(t *testing.T) {
	t.Parallel()
	files := baseProject()
	files["schemactl.yaml"] = strings.Replace(projectConfig, "registry: http://registry.invalid:8081\n", "", 1) + `  - subject: refunds-value
    file: schemas/refund.proto
    references:
      - name: common.proto
        file: schemas/common.proto
`
	files["schemas/refund.proto"] = refundProto
	dir, base := t.TempDir(), t.TempDir()
	writeFiles(t, dir, files)
	writeFiles(t, base, files)
	e := env{EnvRegistry: servertest.Start(t).URL()}
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	// A compatible edit, so that the registry check has work to do.
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderCompatible})

	var schemaFiles []string
	for name := range files {
		if strings.HasPrefix(name, "schemas/") {
			schemaFiles = append(schemaFiles, name)
		}
	}
	sort.Strings(schemaFiles)
	under := func(root string) []string {
		var out []string
		for _, f := range schemaFiles {
			out = append(out, filepath.ToSlash(filepath.Join(root, f)))
		}
		return out
	}
	tests := []struct {
		name string
		args []string
		want []string // the files read, each once
	}{
		{"CheckAgainstTheRegistry", []string{"check"}, under(dir)},
		{"CheckAgainstADirectory", []string{"check", "--against", base}, append(under(dir), under(base)...)},
		{"Lint", []string{"lint"}, under(dir)},
		{"LintAdditiveAgainstADirectory", []string{"lint", "--additive", "--against", base}, append(under(dir), under(base)...)},
		{"Register", []string{"register", "--dry-run"}, under(dir)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &readCounter{reads: map[string]int{}}
			var stdout, stderr bytes.Buffer
			code := RunWith(context.Background(), tt.args, Options{
				Stdout: &stdout, Stderr: &stderr, Dir: dir,
				Getenv:   func(k string) string { return e[k] },
				ReadFile: c.readFile,
			})
			if code != ExitOK {
				t.Fatalf("schemactl %v: exit %d\n%s%s", tt.args, code, stdout.String(), stderr.String())
			}
			for name, n := range c.reads {
				if n != 1 {
					t.Errorf("%s read %d times, want once", name, n)
				}
			}
			var got []string
			for name := range c.reads {
				got = append(got, name)
			}
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("files read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
