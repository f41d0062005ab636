package compat

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
)

// additiveRequest checks new at level against old, registered a year
// before now, under the additive-only policy with the minimum deprecation
// period minDeprecation.
func additiveRequest(level Level, old, new schema.Schema, now time.Time, minDeprecation time.Duration) Request {
	return Request{
		Level:   level,
		Policy:  Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: minDeprecation},
		New:     new,
		History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(-1, 0, 0)}},
	}
}

// mustParse parses text with deps and fails the test if it does not parse.
func mustParse[S any](tb testing.TB, parse func(string, []schema.Dependency) (S, error), text string, deps []schema.Dependency) S {
	tb.Helper()
	s, err := parse(text, deps)
	if err != nil {
		tb.Fatalf("parse: %v\n%s", err, text)
	}
	return s
}

// assertDiffGolden diffs the fixtures old and new of dir, renders each
// change as a line with line, and compares the lines with dir's
// diff.golden.
func assertDiffGolden(t *testing.T, dir, old, new string, line func(Change) string) {
	t.Helper()
	changes, err := Diff(parseFixture(t, filepath.Join(dir, old)), parseFixture(t, filepath.Join(dir, new)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range changes {
		b.WriteString(line(c) + "\n")
	}
	if len(changes) == 0 {
		b.WriteString("no changes\n")
	}
	golden.AssertString(t, filepath.Join(dir, "diff.golden"), b.String())
}

// fuzzCheckPair parses two fuzzed texts with parse and, when both parse,
// checks the second against the first at FULL_TRANSITIVE under the
// additive-only policy and diffs them: neither may panic or fail, and
// every finding must name its rule and say what is wrong.
func fuzzCheckPair(t *testing.T, parse func(name, text string) (schema.Schema, error), oldText, newText string) {
	t.Helper()
	old, err := parse("old", oldText)
	if err != nil {
		return
	}
	new, err := parse("new", newText)
	if err != nil {
		return
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res := Check(Request{
		Level:   FullTransitive,
		Policy:  Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: time.Hour},
		New:     new,
		History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(0, -1, 0)}, {Version: 2, Schema: new, RegisteredAt: now}},
	})
	for _, f := range res.Findings {
		if f.RuleID == "" || f.Message == "" {
			t.Fatalf("finding without rule or message: %+v", f)
		}
	}
	if _, err := Diff(old, new); err != nil {
		t.Fatal(err)
	}
}
