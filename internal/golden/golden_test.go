package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		want, got string
		diff      string
	}{
		{name: "EqualInputsHaveNoDiff", want: "a\nb\n", got: "a\nb\n", diff: ""},
		{
			name: "AChangedLineShowsBothSidesWithContext",
			want: "1\n2\n3\n4\n5\n6\n7\n", got: "1\n2\n3\nfour\n5\n6\n7\n",
			diff: "@@ want line 2, got line 2 @@\n 2\n 3\n-4\n+four\n 5\n 6\n",
		},
		{
			name: "AnAddedLineAtTheEnd",
			want: "a\nb\n", got: "a\nb\nc\n",
			diff: "@@ want line 1, got line 1 @@\n a\n b\n+c\n",
		},
		{
			name: "DistantChangesGetTheirOwnHunks",
			want: "a\n1\n2\n3\n4\n5\n6\nz\n", got: "A\n1\n2\n3\n4\n5\n6\nZ\n",
			diff: "@@ want line 1, got line 1 @@\n-a\n+A\n 1\n 2\n@@ want line 6, got line 6 @@\n 5\n 6\n-z\n+Z\n",
		},
		{
			name: "AMissingFinalNewlineIsNamed",
			want: "a\n", got: "a",
			diff: "(the two differ in the final newline)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Diff(tt.want, tt.got); got != tt.diff {
				t.Errorf("Diff =\n%s\nwant\n%s", got, tt.diff)
			}
		})
	}
}

func TestDiffOfHugeInputsNamesTheFirstDifference(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "line %d\n", i)
		if i == 1234 {
			b.WriteString("changed\n")
			continue
		}
		fmt.Fprintf(&b, "line %d\n", i)
	}
	want := "@@ first difference at line 1235 @@\n-line 1234\n+changed\n"
	if got := Diff(a.String(), b.String()); got != want {
		t.Errorf("Diff = %q, want %q", got, want)
	}
}

// recorder is a testing.TB that keeps failures instead of reporting them.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestAssert(t *testing.T) {
	t.Parallel()
	if Updating() {
		t.Skip("compares, so it cannot run under -update")
	}
	path := filepath.Join(t.TempDir(), "out.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		got    string
		failed []string // substrings of the one failure; nil when it passes
	}{
		{name: "MatchingOutputPasses", path: path, got: "one\ntwo\n"},
		{name: "DifferentOutputFailsWithADiff", path: path, got: "one\n2\n", failed: []string{path, "-two\n+2\n", "-update"}},
		{name: "AMissingFileSaysHowToCreateIt", path: path + ".missing", got: "x", failed: []string{"no such file", "-update"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			AssertString(r, tt.path, tt.got)
			if tt.failed == nil {
				if len(r.failures) > 0 {
					t.Fatalf("failures %q, want none", r.failures)
				}
				return
			}
			if len(r.failures) == 0 {
				t.Fatal("passed, want a failure")
			}
			for _, s := range tt.failed {
				if !strings.Contains(r.failures[0], s) {
					t.Errorf("failure %q lacks %q", r.failures[0], s)
				}
			}
		})
	}
}
