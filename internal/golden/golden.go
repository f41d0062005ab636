// Package golden compares test output with golden files: files under a
// package's testdata that pin what a person reads (rendered reports,
// transcripts, printed schemas).
//
// Importing golden registers the -update flag once for the whole test
// binary: `go test ./compat/ -update` rewrites the golden files of the
// tests it runs instead of comparing with them. On a mismatch the test
// fails with a line diff, so a reviewer sees what changed, not two blobs.
//
// golden is for tests only and depends on the standard library alone.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the output of the tests that run")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Assert compares got with the golden file at path. With -update it
// writes got to path instead (creating its directory), and the test
// passes.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run the test with -update to accept it):\n%s", path, Diff(string(want), string(got)))
	}
}

// AssertString is Assert for text.
func AssertString(t testing.TB, path, got string) {
	t.Helper()
	Assert(t, path, []byte(got))
}
