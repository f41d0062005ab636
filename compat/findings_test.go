package compat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureGoldens summarises the findings.golden files of one fixture
// folder under testdata, for the tests that check every rule is covered.
type fixtureGoldens struct {
	// fixtures counts the fixtures; compatible those expected to pass.
	fixtures, compatible int
	// all is every golden concatenated.
	all string
}

// readFixtureGoldens reads testdata/<format>/*/findings.golden.
func readFixtureGoldens(t *testing.T, format string) fixtureGoldens {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", format, "*", "findings.golden"))
	if err != nil {
		t.Fatal(err)
	}
	g := fixtureGoldens{fixtures: len(paths)}
	var all strings.Builder
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) == "compatible\n" {
			g.compatible++
		}
		all.Write(b)
	}
	g.all = all.String()
	return g
}

// failsWith reports whether some fixture's golden names the rule id, as a
// rendered finding does (surrounded by spaces).
func (g fixtureGoldens) failsWith(id string) bool {
	return strings.Contains(g.all, " "+id+" ")
}

// ruleIDs lists the rule ID of each finding, in order.
func ruleIDs(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}
