package compat

import (
	"testing"
	"time"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// FuzzCheckJSON checks that any two JSON Schemas that parse can be checked
// at FULL_TRANSITIVE under the additive-only policy, and diffed, without a
// panic, and that a schema is always compatible with itself.
func FuzzCheckJSON(f *testing.F) {
	seeds := []string{
		`{"type":"object","properties":{"a":{"type":"string","maxLength":3}},"required":["a"]}`,
		`{"type":"object","properties":{"a":{"type":["string","null"]},"b":{"enum":[1,2]}},"additionalProperties":false}`,
		`{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"string"}],"items":false,"$defs":{"x":{"deprecated":true}}}`,
		`{"definitions":{"n":{"properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"integer"}}}},"$ref":"#/definitions/n"}`,
		`{"oneOf":[{"type":"string"},{"allOf":[{"minimum":1},{"not":{"multipleOf":2}}]}],"patternProperties":{"^x":{"type":"integer"}},"additionalProperties":{"type":"string"}}`,
		`{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"n":{"type":"number","maximum":3,"exclusiveMaximum":true}},"dependencies":{"n":["m"]}}`,
		`true`, `false`,
	}
	for _, a := range seeds {
		for _, b := range seeds {
			f.Add(a, b)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		old, err := js.Parse(oldText, nil)
		if err != nil {
			return
		}
		new, err := js.Parse(newText, nil)
		if err != nil {
			return
		}
		res := Check(Request{
			Level:   FullTransitive,
			Policy:  Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: time.Hour},
			New:     new,
			History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(0, -1, 0)}},
		})
		for _, f := range res.Findings {
			if f.RuleID == "" || f.Message == "" || f.Path == "" {
				t.Fatalf("finding without rule, message or path: %+v", f)
			}
		}
		self := Check(Request{Level: FullTransitive, New: new, History: []Version{{Version: 1, Schema: new}}})
		if !self.Compatible() {
			t.Fatalf("a schema is incompatible with itself: %v", self.Messages())
		}
		if _, err := Diff(old, new); err != nil {
			t.Fatal(err)
		}
	})
}
