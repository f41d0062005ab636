package compat

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
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
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, format, strings.Join(categoryNames(r), ", "), r.Severity,
			strings.ReplaceAll(r.Purpose, "|", "\\|"))
	}
	b.WriteString(renderPolicyTable())
	return b.String()
}

// categoryNames lists the names of r's categories.
func categoryNames(r Rule) []string {
	names := make([]string, len(r.Categories))
	for i, c := range r.Categories {
		names[i] = string(c)
	}
	return names
}

// TestRuleTablesPinned pins the Avro and JSON Schema rules, each rendered
// as "ID severity CATEGORIES" in the order of Rules: their IDs appear in CI
// configuration and suppressions, so one must never change silently.
func TestRuleTablesPinned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format schema.Format
		want   []string
	}{
		{schema.Avro, []string{
			"AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY error ADDITIVE,CONSUMER",
			"AVRO_ADDITIVE_ENUM_SYMBOL_REMOVED error ADDITIVE",
			"AVRO_ADDITIVE_ENUM_SYMBOL_WITHOUT_DEFAULT error ADDITIVE",
			"AVRO_ADDITIVE_FIELD_REMOVED error ADDITIVE",
			"AVRO_ADDITIVE_FIELD_RENAMED error ADDITIVE",
			"AVRO_ADDITIVE_FIELD_TYPE_CHANGED error ADDITIVE",
			"AVRO_ADDITIVE_FIELD_WITHOUT_DEFAULT error ADDITIVE",
			"AVRO_ADDITIVE_TYPE_REMOVED error ADDITIVE",
			"AVRO_ADDITIVE_TYPE_RENAMED error ADDITIVE",
			"AVRO_ADDITIVE_UNION_BRANCH_REMOVED error ADDITIVE",
			"AVRO_DECIMAL_PRECISION_CHANGED error BACKWARD,FORWARD,WIRE",
			"AVRO_DECIMAL_SCALE_CHANGED error BACKWARD,FORWARD,WIRE",
			"AVRO_ENUM_SYMBOL_MISSING error BACKWARD,FORWARD,WIRE",
			"AVRO_FIXED_SIZE_CHANGED error BACKWARD,FORWARD,WIRE",
			"AVRO_NAME_MISMATCH error BACKWARD,FORWARD,WIRE",
			"AVRO_READER_FIELD_MISSING_DEFAULT error BACKWARD,FORWARD,WIRE",
			"AVRO_READER_UNION_MISSING_TYPE error BACKWARD,FORWARD,WIRE",
			"AVRO_TYPE_MISMATCH error BACKWARD,FORWARD,WIRE",
			"AVRO_UNION_BRANCH_MISSING error BACKWARD,FORWARD,WIRE",
		}},
		{schema.JSON, []string{
			"JSON_ADDITIONAL_ITEMS_NARROWED error BACKWARD,FORWARD",
			"JSON_ADDITIONAL_PROPERTIES_NARROWED error BACKWARD,FORWARD",
			"JSON_ADDITIVE_DEFINITION_REMOVED error ADDITIVE",
			"JSON_ADDITIVE_DEPRECATED_REMOVED_EARLY error ADDITIVE,CONSUMER",
			"JSON_ADDITIVE_ENUM_VALUE_REMOVED error ADDITIVE",
			"JSON_ADDITIVE_PROPERTY_REMOVED error ADDITIVE",
			"JSON_ADDITIVE_REQUIRED_ADDED error ADDITIVE",
			"JSON_ADDITIVE_TYPE_CHANGED error ADDITIVE",
			"JSON_COMBINED_TYPE_CHANGED error BACKWARD,FORWARD",
			"JSON_CONST_CHANGED error BACKWARD,FORWARD",
			"JSON_CONTAINS_NARROWED error BACKWARD,FORWARD",
			"JSON_DEPENDENT_REQUIRED_EXTENDED error BACKWARD,FORWARD",
			"JSON_DEPENDENT_SCHEMA_ADDED error BACKWARD,FORWARD",
			"JSON_ENUM_NARROWED error BACKWARD,FORWARD",
			"JSON_EXCLUSIVE_MAXIMUM_NARROWED error BACKWARD,FORWARD",
			"JSON_EXCLUSIVE_MINIMUM_NARROWED error BACKWARD,FORWARD",
			"JSON_ITEM_ADDED_TO_OPEN_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_MAXIMUM_NARROWED error BACKWARD,FORWARD",
			"JSON_MAX_ITEMS_NARROWED error BACKWARD,FORWARD",
			"JSON_MAX_LENGTH_NARROWED error BACKWARD,FORWARD",
			"JSON_MAX_PROPERTIES_NARROWED error BACKWARD,FORWARD",
			"JSON_MINIMUM_NARROWED error BACKWARD,FORWARD",
			"JSON_MIN_ITEMS_NARROWED error BACKWARD,FORWARD",
			"JSON_MIN_LENGTH_NARROWED error BACKWARD,FORWARD",
			"JSON_MIN_PROPERTIES_NARROWED error BACKWARD,FORWARD",
			"JSON_MULTIPLE_OF_CHANGED error BACKWARD,FORWARD",
			"JSON_NOT_EXTENDED error BACKWARD,FORWARD",
			"JSON_PATTERN_CHANGED error BACKWARD,FORWARD",
			"JSON_PATTERN_PROPERTIES_NARROWED error BACKWARD,FORWARD",
			"JSON_PRODUCT_TYPE_EXTENDED error BACKWARD,FORWARD",
			"JSON_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_PROPERTY_NAMES_NARROWED error BACKWARD,FORWARD",
			"JSON_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL error BACKWARD,FORWARD",
			"JSON_REQUIRED_ADDED error BACKWARD,FORWARD",
			"JSON_SCHEMA_REJECTS_ALL error BACKWARD,FORWARD",
			"JSON_SUM_TYPE_NARROWED error BACKWARD,FORWARD",
			"JSON_TYPE_CHANGED error BACKWARD,FORWARD",
			"JSON_TYPE_NARROWED error BACKWARD,FORWARD",
			"JSON_UNIQUE_ITEMS_ADDED error BACKWARD,FORWARD",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range Rules() {
				if r.Format != tt.format {
					continue
				}
				if r.Purpose == "" || len(r.Categories) == 0 || r.Severity == "" {
					t.Errorf("rule %s is incomplete: %+v", r.ID, r)
				}
				got = append(got, fmt.Sprintf("%s %s %s", r.ID, r.Severity, strings.Join(categoryNames(r), ",")))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s rules changed:\n got:\n%s\nwant:\n%s", tt.format, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// renderPolicyTable renders AdditivePolicy as one table per format.
func renderPolicyTable() string {
	var b strings.Builder
	b.WriteString("\n## The additive-only policy\n\n")
	b.WriteString("Under the additive-only policy (\"deprecate, don't delete\") every reader of a\n")
	b.WriteString("live version reads data written with the new schema, and the new schema reads\n")
	b.WriteString("data written with every live version. Additions are judged by that guarantee,\n")
	b.WriteString("not by the quirks of Confluent's FULL level; changes to existing elements are\n")
	b.WriteString("refused; a removal passes only once the element was deprecated in an earlier\n")
	b.WriteString("version, its sunset (or the minimum deprecation period) has passed and no\n")
	b.WriteString("registered consumer still reads it. The seven Confluent levels keep\n")
	b.WriteString("Confluent's verdicts.\n")
	var format schema.Format
	for _, e := range AdditivePolicy() {
		if e.Format != format {
			format = e.Format
			fmt.Fprintf(&b, "\n### %s\n\n", format)
			b.WriteString("| Change | Element | Verdict | Enforced by |\n")
			b.WriteString("| --- | --- | --- | --- |\n")
		}
		verdict := string(e.Verdict)
		switch {
		case e.Condition == "":
		case e.Verdict == AcceptedIf || e.Verdict == RemovableAfterDeprecation:
			verdict += " " + e.Condition
		default:
			verdict += " (" + e.Condition + ")"
		}
		rules := make([]string, len(e.Rules))
		for i, id := range e.Rules {
			rules[i] = "`" + id + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", policyKindText[e.Kind], e.Element, verdict, strings.Join(rules, ", "))
	}
	return b.String()
}

var policyKindText = map[ChangeKind]string{Added: "addition", Changed: "change", Removed: "removal"}

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

// TestAdditivePolicyIsComplete keeps the policy table and the rules in
// step: every rule the table names exists, every rule of the policy is
// named by the table, and every superseded finding is a directional rule.
func TestAdditivePolicyIsComplete(t *testing.T) {
	t.Parallel()
	named := map[string]bool{}
	for _, e := range AdditivePolicy() {
		if _, ok := policyKindText[e.Kind]; !ok {
			t.Errorf("policy entry %q has kind %q", e.Element, e.Kind)
		}
		if e.Verdict == AcceptedIf && e.Condition == "" {
			t.Errorf("policy entry %q is conditional but names no condition", e.Element)
		}
		for _, id := range e.Rules {
			r, ok := LookupRule(id)
			if !ok {
				t.Errorf("policy entry %q names unknown rule %s", e.Element, id)
				continue
			}
			if r.Format != e.Format {
				t.Errorf("policy entry %q (%s) names %s rule %s", e.Element, e.Format, r.Format, id)
			}
			named[id] = true
		}
	}
	for _, r := range Rules() {
		if slices.Contains(r.Categories, CategoryAdditive) && !named[r.ID] {
			t.Errorf("rule %s belongs to the policy but no policy entry names it", r.ID)
		}
	}
	for k := range policySupersedes {
		r, ok := LookupRule(k.rule)
		if !ok {
			t.Errorf("superseded rule %s is unknown", k.rule)
			continue
		}
		if slices.Contains(r.Categories, CategoryAdditive) || (k.dir != DirBackward && k.dir != DirForward) {
			t.Errorf("superseded finding %s %s is not a directional rule", k.rule, k.dir)
		}
	}
}
