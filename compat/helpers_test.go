package compat

import (
	"testing"
	"time"

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
