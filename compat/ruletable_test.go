package compat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
)

// ruleTableDoc is the rule reference generated from the rule table; the
// test below keeps it identical to Rules(), so an ID can never change or
// disappear without the document (and its reviewers) noticing.
const ruleTableDoc = "../docs/rules.md"

func renderRuleTable() string {
	var b strings.Builder
	b.WriteString("# Rule reference\n\n")
	b.WriteString("Every finding names the rule that produced it. IDs are stable: they never\n")
	b.WriteString("change meaning and are never reused. `schemactl rules` prints this table.\n")
	b.WriteString("This file is generated: `go test ./compat -run TestRuleTableDocumented -update`.\n\n")
	b.WriteString("| ID | Format | Categories | Severity | Purpose |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, r := range Rules() {
		format := string(r.Format)
		if format == "" {
			format = "any"
		}
		cats := make([]string, len(r.Categories))
		for i, c := range r.Categories {
			cats[i] = string(c)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, format, strings.Join(cats, ", "), r.Severity,
			strings.ReplaceAll(r.Purpose, "|", "\\|"))
	}
	return b.String()
}

func TestRuleTableDocumented(t *testing.T) {
	// The rule table is documentation: a change to it shows as a diff to
	// review, then to accept with -update.
	golden.AssertString(t, ruleTableDoc, renderRuleTable())
}

func TestRulesAreWellFormed(t *testing.T) {
	for _, r := range Rules() {
		if r.ID != strings.ToUpper(r.ID) || strings.ContainsAny(r.ID, " -") {
			t.Errorf("rule ID %q is not UPPER_SNAKE", r.ID)
		}
		if r.Purpose == "" || len(r.Categories) == 0 {
			t.Errorf("rule %s lacks a purpose or categories", r.ID)
		}
		if r.Severity != Error && r.Severity != Warning {
			t.Errorf("rule %s has severity %q", r.ID, r.Severity)
		}
	}
}
