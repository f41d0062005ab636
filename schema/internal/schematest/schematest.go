// Package schematest holds the checks the format packages' tests share:
// parsing that must succeed, fixtures read file by file, identity
// comparisons, positions, limit refusals and deprecation lists.
//
// schematest is for tests only; it depends on schema, memtest and the
// testing package.
package schematest

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/schemata-dev/schemata/internal/memtest"
	"github.com/schemata-dev/schemata/schema"
)

// MustParse returns a function that parses text with parse and fails
// the test when it does not parse: each format's mustParse.
func MustParse[S any](parse func(text string) (S, error)) func(tb testing.TB, text string) S {
	return func(tb testing.TB, text string) S {
		tb.Helper()
		s, err := parse(text)
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}
}

// ForEachFile runs fn on the contents of every file matching pattern, each
// as a parallel subtest named after the file. A pattern matching no file
// fails the test.
func ForEachFile(t *testing.T, pattern string, fn func(t *testing.T, file, text string)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s: %v", pattern, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, file, string(text))
		})
	}
}

// IdentityCase is a text compared with a base schema: Same says whether
// the two must have the same identity.
type IdentityCase struct {
	Name  string
	Other string
	Same  bool
}

// Identities parses base and the text of each case with parse, and checks,
// in a parallel subtest per case, that their identities are equal exactly
// when the case says so.
func Identities[S schema.Schema](t *testing.T, parse func(testing.TB, string) S, base string, cases []IdentityCase) {
	t.Helper()
	a := parse(t, base)
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			b := parse(t, tt.Other)
			if got := a.Identity() == b.Identity(); got != tt.Same {
				t.Errorf("same identity = %v, want %v\n%s\n---\n%s", got, tt.Same, a.Identity(), b.Identity())
			}
		})
	}
}

// Positions checks that pos locates each path of want at the position
// want gives it, written line:column ("-" for none).
func Positions(t testing.TB, pos func(path string) schema.Position, want map[string]string) {
	t.Helper()
	for _, path := range slices.Sorted(maps.Keys(want)) {
		if got := pos(path).String(); got != want[path] {
			t.Errorf("Pos(%q) = %s, want %s", path, got, want[path])
		}
	}
}

// Refused checks that err is a *schema.ParseError wrapping a
// *schema.LimitError for limit, and returns the ParseError.
func Refused(t testing.TB, err error, limit string) *schema.ParseError {
	t.Helper()
	var le *schema.LimitError
	if !errors.As(err, &le) || le.Limit != limit {
		t.Fatalf("error = %v, want a %s limit error", err, limit)
	}
	var pe *schema.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *schema.ParseError", err)
	}
	return pe
}

// maxBombBytes is the most a parser may allocate refusing hostile input.
const maxBombBytes = 64 << 20

// RefusedInBoundedMemory runs parse, which must refuse text (hostile
// input, a bomb) for limit, allocating at most 64 MiB. It returns the
// ParseError, as Refused does.
func RefusedInBoundedMemory(t testing.TB, text string, parse func(text string) error, limit string) *schema.ParseError {
	t.Helper()
	var err error
	n := memtest.Allocated(func() { err = parse(text) })
	pe := Refused(t, err, limit)
	if n > maxBombBytes {
		t.Errorf("refusing a %d-byte text allocated %d MiB, want at most %d MiB", len(text), n>>20, maxBombBytes>>20)
	}
	return pe
}

// Deprecations checks that got lists the deprecations of want, in order.
func Deprecations(t testing.TB, got, want []schema.Deprecation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Deprecations() = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Deprecations()[%d] = %+v\nwant %+v", i, got[i], want[i])
		}
	}
}
