package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

func init() {
	fixtureParsers[".json"] = func(_, text string) (schema.Schema, error) {
		return js.Parse(text, nil)
	}
}

// mustJSON parses text with deps and fails the test if it does not parse.
func mustJSON(tb testing.TB, text string, deps ...schema.Dependency) *js.Schema {
	tb.Helper()
	return mustParse(tb, js.Parse, text, deps)
}

// TestJSONReferencesAreFollowed checks a change inside a referenced
// schema: the finding's path runs through the reference, and its position
// in the referencing text is that of the "$ref".
func TestJSONReferencesAreFollowed(t *testing.T) {
	t.Parallel()
	order := "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"customer\": {\"$ref\": \"customer.json\"}\n  }\n}"
	oldCustomer := schema.Dependency{Name: "customer.json", Text: `{"type":"object","properties":{"id":{"type":"string","maxLength":20}}}`}
	newCustomer := schema.Dependency{Name: "customer.json", Text: `{"type":"object","properties":{"id":{"type":"string","maxLength":10}}}`}
	old, new := mustJSON(t, order, oldCustomer), mustJSON(t, order, newCustomer)
	res := Check(Request{Level: Backward, New: new, History: []Version{{Version: 1, Schema: old}}})
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %v, want one", res.Messages())
	}
	f := res.Findings[0]
	if f.RuleID != ruleJSONMaxLengthNarrowed.ID || f.Path != "/properties/customer/properties/id" || f.New.String() != "4:17" || f.Old.String() != "4:17" {
		t.Errorf("finding = %+v", f)
	}
	if same := Check(Request{Level: FullTransitive, New: old, History: []Version{{Version: 1, Schema: old}}}); !same.Compatible() {
		t.Errorf("a schema with references is incompatible with itself: %v", same.Messages())
	}
}

func TestJSONDiff(t *testing.T) {
	t.Parallel()
	old := mustJSON(t, `{"type":"object","properties":{"a":{"type":"string"},"b":{"enum":["x","y"]}},"required":["a"],"$defs":{"D":{"type":"integer"}}}`)
	new := mustJSON(t, `{"type":"object","properties":{"a":{"type":["string","null"],"deprecated":true},"b":{"enum":["x"]},"c":{}},"required":["c"]}`)
	changes, err := Diff(old, new)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, fmt.Sprintf("%s %s %s %q->%q", c.Kind, c.Element, c.Path, c.Old, c.New))
	}
	want := []string{
		`added required /properties/c ""->"c"`,
		`removed required /properties/a "a"->""`,
		`changed type /properties/a "` + "`string`" + `"->"` + "`null`, `string`" + `"`,
		`changed deprecated /properties/a "false"->"true"`,
		`removed enum_value /properties/b/enum "\"y\""->""`,
		`removed definition /$defs/D "D"->""`,
		`added property /properties/c ""->"c"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestJSONHostileNestingIsBounded checks that deeply nested combinators,
// which branch matching compares pairwise, are checked quickly.
func TestJSONHostileNestingIsBounded(t *testing.T) {
	t.Parallel()
	nest := func(leaf string) string {
		s := leaf
		for range 60 {
			s = `{"oneOf":[` + s + `,` + s + `,{"type":"null"}]}`
			if len(s) > 1<<20 {
				break
			}
		}
		return s
	}
	old, new := mustJSON(t, nest(`{"type":"string"}`)), mustJSON(t, nest(`{"type":"integer"}`))
	start := time.Now()
	Check(Request{Level: FullTransitive, New: new, History: []Version{{Version: 1, Schema: old}}})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("check took %v", d)
	}
}
