package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/golden"
)

// result is what a user sees after one schemactl run.
type result struct {
	stdout, stderr string
	code           int
}

// env is a fake process environment.
type env map[string]string

// schemactl runs the CLI in dir with env, as a user would from a shell.
func schemactl(t testing.TB, dir string, e env, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := RunWith(context.Background(), args, Options{
		Stdout: &stdout, Stderr: &stderr, Dir: dir,
		Getenv: func(k string) string { return e[k] },
		Now:    func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	return result{stdout.String(), stderr.String(), code}
}

// step is one command of a scenario: the exit code it must end with and
// what its stdout must contain.
type step struct {
	name string
	args []string
	code int
	want []string
}

// runSteps runs steps in order in dir with env. A wrong exit code ends
// the test, since each step builds on the ones before it.
func runSteps(t *testing.T, dir string, e env, steps []step) {
	t.Helper()
	for _, s := range steps {
		r := schemactl(t, dir, e, s.args...)
		if r.code != s.code {
			t.Fatalf("%s: %s", s.name, r)
		}
		for _, w := range s.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: stdout lacks %q\n%s", s.name, w, r)
			}
		}
	}
}

// clientOf is a client of the registry at url.
func clientOf(t testing.TB, url string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeFiles creates files (path → content) under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// closedPort returns a URL nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// gitRepo makes dir a git repository with one commit of everything in it.
func gitRepo(t testing.TB, dir string) {
	t.Helper()
	runGit(t, dir, "init", "-q", "-b", "main")
	commitAll(t, dir, "baseline")
}

func commitAll(t testing.TB, dir, msg string) {
	t.Helper()
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", msg)
}

func runGit(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// assertGolden compares got with testdata/<name>, rewriting it with
// -update. Registry URLs (random ports) are replaced first.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", name), scrub(got))
}

var urlPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

func scrub(s string) string {
	s = urlPattern.ReplaceAllString(s, "http://REGISTRY")
	return strings.ReplaceAll(s, version(), "VERSION")
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}
