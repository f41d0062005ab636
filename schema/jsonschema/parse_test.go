package jsonschema

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		deps  []schema.Dependency
		draft Draft
	}{
		{"DefaultsToDraft7", `{"type":"object","properties":{"a":{"type":"string"}}}`, nil, Draft7},
		{"Draft4", `{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":3,"exclusiveMaximum":true}`, nil, Draft4},
		{"Draft6", `{"$schema":"http://json-schema.org/draft-06/schema#","type":"number","exclusiveMaximum":3}`, nil, Draft6},
		{"Draft2019", `{"$schema":"https://json-schema.org/draft/2019-09/schema","$defs":{"a":{"type":"string"}},"$ref":"#/$defs/a"}`, nil, Draft2019},
		{"Draft2020", `{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"string"}],"items":false}`, nil, Draft2020},
		{"HTTPSDraft7", `{"$schema":"https://json-schema.org/draft-07/schema"}`, nil, Draft7},
		{"BooleanTrue", `true`, nil, Draft7},
		{"BooleanSubschema", `{"properties":{"a":false}}`, nil, Draft7},
		{"InternalRef", `{"definitions":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/definitions/n"}}}`, nil, Draft7},
		{"RecursiveRef", `{"properties":{"next":{"$ref":"#"}}}`, nil, Draft7},
		{"AnchorRef", `{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"a":{"$anchor":"addr","type":"string"}},"properties":{"x":{"$ref":"#addr"}}}`, nil, Draft2020},
		{"ExternalRef", `{"properties":{"c":{"$ref":"customer.json"}}}`,
			[]schema.Dependency{{Name: "customer.json", Text: `{"type":"object","properties":{"id":{"type":"string"}}}`}}, Draft7},
		{"ExternalRefWithPointer", `{"properties":{"c":{"$ref":"common.json#/definitions/id"}}}`,
			[]schema.Dependency{{Name: "common.json", Text: `{"definitions":{"id":{"type":"string"}}}`}}, Draft7},
		{"ExternalRefUnderID", `{"$id":"https://example.com/order.json","properties":{"c":{"$ref":"customer.json"}}}`,
			[]schema.Dependency{{Name: "customer.json", Text: `{"type":"object"}`}}, Draft7},
		{"AbsoluteRefName", `{"properties":{"c":{"$ref":"https://example.com/schemas/customer"}}}`,
			[]schema.Dependency{{Name: "https://example.com/schemas/customer", Text: `{"type":"object"}`}}, Draft7},
		{"DeprecatedIn2020", `{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"a":{"deprecated":true}}}`, nil, Draft2020},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.text, tt.deps)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if s.Draft() != tt.draft {
				t.Errorf("draft = %v, want %v", s.Draft(), tt.draft)
			}
			if s.Format() != schema.JSON {
				t.Errorf("format = %v", s.Format())
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		deps []schema.Dependency
		pos  string
		msg  string
	}{
		{"InvalidJSON", "{\n  \"type\": \"string\",\n}", nil, "3:1", "expected a member name"},
		{"DuplicateKey", "{\"type\":\"string\",\n \"type\":\"number\"}", nil, "2:2", `duplicate key "type"`},
		{"TrailingData", `{} {}`, nil, "1:4", "after the JSON value"},
		{"UnknownSchema", "{\n \"$schema\": \"http://example.com/my-meta\"}", nil, "2:13", "unknown $schema"},
		{"NonStringSchema", `{"$schema": 7}`, nil, "1:13", "unknown $schema"},
		{"BadType", "{\n  \"properties\": {\n    \"a\": {\"type\": \"strin\"}\n  }\n}", nil, "3:19", "meta-schema"},
		{"NegativeMaxLength", `{"maxLength": -1}`, nil, "1:15", "meta-schema"},
		{"Draft4Boolean", `{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"a":true}}`, nil, "1:72", "meta-schema"},
		{"Draft4BooleanRoot", `false`, nil, "", ""},
		{"DeprecatedNotBoolean2020", `{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"a":{"deprecated":"yes"}}}`, nil, "1:91", "meta-schema"},
		{"UnresolvableRef", "{\"properties\": {\n  \"a\": {\"$ref\": \"#/definitions/missing\"}}}", nil, "2:17", "no value at JSON Pointer"},
		{"UnresolvableExternalRef", `{"properties":{"a":{"$ref":"other.json"}}}`, nil, "", "no such schema"},
		{"InvalidDependency", `{"$ref":"a.json"}`, []schema.Dependency{{Name: "a.json", Text: `{"type":1}`}}, "", `in referenced schema "a.json"`},
		{"DetailsWithoutMark", `{"properties":{"a":{"x-deprecation":{"reason":"r"}}}}`, nil, "1:37", `needs "deprecated": true`},
		{"BadSunset", `{"properties":{"a":{"deprecated":true,"x-deprecation":{"sunset":"soon"}}}}`, nil, "1:65", "YYYY-MM-DD"},
		{"UnknownDetail", `{"properties":{"a":{"deprecated":true,"x-deprecation":{"when":"x"}}}}`, nil, "1:56", "unknown x-deprecation attribute"},
		{"TooDeep", strings.Repeat(`{"not":`, 1000) + `{}` + strings.Repeat(`}`, 1000), nil, "", "nests deeper than"},
		{"TooLarge", `{"description":"` + strings.Repeat("x", MaxBytes) + `"}`, nil, "1:1", "limit is"},
		{"InvalidPattern", `{"pattern":"("}`, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.name == "Draft4BooleanRoot" {
				tt.text = `{"$schema":"http://json-schema.org/draft-04/schema#","items":true}`
			}
			start := time.Now()
			_, err := Parse(tt.text, tt.deps)
			if time.Since(start) > 2*time.Second {
				t.Errorf("Parse took %v", time.Since(start))
			}
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *schema.ParseError", err)
			}
			if pe.Format != schema.JSON {
				t.Errorf("format = %v", pe.Format)
			}
			if tt.pos != "" && pe.Pos.String() != tt.pos {
				t.Errorf("pos = %s, want %s (%v)", pe.Pos, tt.pos, err)
			}
			if !strings.Contains(pe.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", pe.Error(), tt.msg)
			}
		})
	}
}
