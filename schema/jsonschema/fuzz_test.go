package jsonschema

import (
	"context"
	"errors"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

// FuzzParse checks that Parse never panics, that every failure is a
// *schema.ParseError, and that a schema that parses reparses from its
// stored text to the same identity and normalized form.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`{}`, `true`, `false`, `[]`, `"x"`, `{"type":"string","maxLength":3}`,
		`{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":1,"exclusiveMaximum":true}`,
		`{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"a":{"$anchor":"x"}},"prefixItems":[{"$ref":"#x"}]}`,
		`{"definitions":{"n":{"properties":{"next":{"$ref":"#/definitions/n"}}}},"$ref":"#/definitions/n"}`,
		`{"properties":{"a":{"deprecated":true,"x-deprecation":{"sunset":"2026-01-01"}}}}`,
		`{"oneOf":[{"type":"string"},{"not":{"enum":[1,2.5e3,"\u00e9"]}}],"patternProperties":{"^x":false}}`,
		`{"$ref":"other.json#/x"}`,
		`{"pattern":"("}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text, nil)
		if err != nil {
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *schema.ParseError: %v", err, err)
			}
			return
		}
		again, err := Parse(s.Text(), nil)
		if err != nil {
			t.Fatalf("stored text %q does not reparse: %v", s.Text(), err)
		}
		if again.Identity() != s.Identity() || again.Normalized() != s.Normalized() {
			t.Fatalf("reparsing changed the forms: %q -> %q", s.Identity(), again.Identity())
		}
	})
}

// FuzzParseLenient: the lenient parse fails only with a
// *schema.ParseError, accepts whatever the strict one does with the same
// forms, and its stored text parses leniently to the same forms.
func FuzzParseLenient(f *testing.F) {
	for _, s := range []string{
		`{"properties":{"a":{"deprecated":true,"x-deprecation":"soon"}}}`,
		`{"properties":{"a":{"x-deprecation":{"reason":"r"}}}}`,
		`{"properties":{"a":{"deprecated":true,"x-deprecation":{"sunset":"2026-01-01"}}}}`,
		`{"pattern":"("}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseLenient(context.Background(), text, nil)
		if err != nil {
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *schema.ParseError: %v", err, err)
			}
			return
		}
		if strict, err := Parse(text, nil); err == nil && strict.Identity() != s.Identity() {
			t.Fatalf("strict and lenient forms differ: %q, %q", strict.Identity(), s.Identity())
		}
		again, err := ParseLenient(context.Background(), s.Text(), nil)
		if err != nil || again.Identity() != s.Identity() {
			t.Fatalf("stored text %q does not reparse to the same forms: %v", s.Text(), err)
		}
	})
}
