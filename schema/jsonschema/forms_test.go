package jsonschema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// TestForms pins the stored text and the normalized form of each schema
// under testdata/forms against golden files.
func TestForms(t *testing.T) {
	t.Parallel()
	schematest.ForEachFile(t, filepath.Join("testdata", "forms", "*.json"), func(t *testing.T, file, text string) {
		s := mustParse(t, text)
		golden.AssertString(t, strings.TrimSuffix(file, ".json")+".golden", "text:\n"+s.Text()+"\nnormalized:\n"+s.Normalized()+"\n")
	})
}

// mustParse parses text without references and fails the test if it does
// not parse.
var mustParse = schematest.MustParse(func(text string) (*Schema, error) { return Parse(text, nil) })

// parseFixture parses testdata/forms/name, failing the test if it cannot.
func parseFixture(t *testing.T, name string) *Schema {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", "forms", name))
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, string(text))
}

// TestIdentity checks what makes two texts the same schema.
func TestIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		a, b           string
		sameIdentity   bool
		sameNormalized bool
	}{
		{"Whitespace", `{"type":"string"}`, "{\n  \"type\" : \"string\"\n}", true, true},
		{"Escapes", `{"description":"\u00e9\/"}`, `{"description":"é/"}`, true, true},
		{"MemberOrder", `{"type":"string","maxLength":3}`, `{"maxLength":3,"type":"string"}`, false, true},
		{"NestedMemberOrder", `{"properties":{"a":{"type":"string","title":"A"}}}`, `{"properties":{"a":{"title":"A","type":"string"}}}`, false, true},
		{"PropertyOrder", `{"properties":{"a":{},"b":{}}}`, `{"properties":{"b":{},"a":{}}}`, false, true},
		{"NumberSpelling", `{"maximum":1.0}`, `{"maximum":1}`, false, false},
		{"EnumOrder", `{"enum":["a","b"]}`, `{"enum":["b","a"]}`, false, false},
		{"Annotation", `{"type":"string"}`, `{"type":"string","description":"x"}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := mustParse(t, tt.a), mustParse(t, tt.b)
			if got := a.Identity() == b.Identity(); got != tt.sameIdentity {
				t.Errorf("same identity = %v, want %v (%s vs %s)", got, tt.sameIdentity, a.Identity(), b.Identity())
			}
			if got := a.Normalized() == b.Normalized(); got != tt.sameNormalized {
				t.Errorf("same normalized = %v, want %v (%s vs %s)", got, tt.sameNormalized, a.Normalized(), b.Normalized())
			}
		})
	}
}

func TestDeprecations(t *testing.T) {
	t.Parallel()
	s := parseFixture(t, "order.json")
	want := []schema.Deprecation{
		{Path: "/properties/legacyCode", Kind: "property", Reason: "use id", Sunset: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
			Replacement: "/properties/id", Pos: schema.Position{Line: 14, Column: 7}},
		{Path: "/$defs/OldItem", Kind: "definition", Pos: schema.Position{Line: 25, Column: 18}},
	}
	schematest.Deprecations(t, s.Deprecations(), want)
}

func TestPositions(t *testing.T) {
	t.Parallel()
	s := parseFixture(t, "order.json")
	schematest.Positions(t, s.Pos, map[string]string{
		"":                           "1:1",
		"/properties/id":             "6:11",
		"/properties/items/items":    "10:16",
		"/$defs/Item/properties/qty": "22:59",
		"/properties/missing":        "-",
		"not-a-pointer":              "-",
	})
	items := s.Lookup("/properties/items/items")
	if target := s.Ref(items); target != s.Lookup("/$defs/Item") {
		t.Errorf("Ref(/properties/items/items) = %v, want /$defs/Item", target)
	}
}
