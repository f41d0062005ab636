package protobuf

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// TestPrintGolden pins Identity and Normalized for every
// testdata/print/*.proto (regenerate with -update), and checks that both
// printed forms are valid Protobuf that prints back to itself.
func TestPrintGolden(t *testing.T) {
	t.Parallel()
	schematest.ForEachFile(t, filepath.Join("testdata", "print", "*.proto"), func(t *testing.T, file, text string) {
		s := mustParse(t, text)
		base := strings.TrimSuffix(file, ".proto")
		golden.AssertString(t, base+".identity.golden", s.Identity())
		golden.AssertString(t, base+".normalized.golden", s.Normalized())
		noExt, ok := s.Render("ignore_extensions")
		if !ok {
			t.Fatal(`Render("ignore_extensions") is not supported`)
		}
		golden.AssertString(t, base+".ignore_extensions.golden", noExt)
		id, err := Parse(DefaultName, s.Identity(), nil)
		if err != nil {
			t.Fatalf("Identity() does not parse: %v\n%s", err, s.Identity())
		}
		if id.Identity() != s.Identity() {
			t.Errorf("Identity() is not stable:\n%s\n---\n%s", s.Identity(), id.Identity())
		}
		norm, err := Parse(DefaultName, s.Normalized(), nil)
		if err != nil {
			t.Fatalf("Normalized() does not parse: %v\n%s", err, s.Normalized())
		}
		if norm.Normalized() != s.Normalized() {
			t.Errorf("Normalized() is not idempotent:\n%s\n---\n%s", s.Normalized(), norm.Normalized())
		}
	})
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	const base = `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
option java_package = "a";
option go_package = "b";
message Order {
  string id = 1;
  google.protobuf.Timestamp at = 2 [deprecated = true, json_name = "when"];
  message Item { string sku = 1; }
  Item item = 3;
}
`
	schematest.Identities(t, mustParse, base, []schematest.IdentityCase{
		{Name: "WhitespaceAndComments", Other: `// Orders.
syntax="proto3";package shop.v1;import "google/protobuf/timestamp.proto";
option java_package="a";option go_package="b";
/* the order */ message Order{string id=1;google.protobuf.Timestamp at=2[deprecated=true,json_name="when"];
message Item{string sku=1;} Item item=3;}`, Same: true},
		{Name: "OptionOrder", Other: strings.Replace(strings.Replace(base, `option java_package = "a";`, "", 1), `option go_package = "b";`, `option go_package = "b"; option java_package = "a";`, 1), Same: true},
		{Name: "FieldOptionOrder", Other: strings.Replace(base, `[deprecated = true, json_name = "when"]`, `[json_name = "when", deprecated = true]`, 1), Same: true},
		{Name: "QualifiedTypeNames", Other: strings.Replace(base, "  Item item = 3;", "  .shop.v1.Order.Item item = 3;", 1), Same: true},
		{Name: "NestedMessageAfterFields", Other: strings.Replace(strings.Replace(base, "  message Item { string sku = 1; }\n", "", 1), "  Item item = 3;\n", "  Item item = 3;\n  message Item { string sku = 1; }\n", 1), Same: true},
		{Name: "SingleQuotes", Other: strings.Replace(base, `"a"`, `'a'`, 1), Same: true},
		{Name: "FieldOrder", Other: strings.Replace(strings.Replace(base, "  string id = 1;\n", "", 1), "  Item item = 3;\n", "  Item item = 3;\n  string id = 1;\n", 1), Same: false},
		{Name: "FieldRenamed", Other: strings.Replace(base, "string id = 1;", "string key = 1;", 1), Same: false},
		{Name: "OptionValue", Other: strings.Replace(base, `"a"`, `"c"`, 1), Same: false},
		{Name: "DefaultJSONNameSpelledOut", Other: strings.Replace(base, "string id = 1;", `string id = 1 [json_name = "id"];`, 1), Same: true},
	})
}

func TestNormalizedIgnoresOrder(t *testing.T) {
	t.Parallel()
	a := mustParse(t, `syntax = "proto3";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
message M {
  reserved 9, 7;
  string b = 2;
  oneof o { string y = 6; string x = 5; }
  string a = 1;
}
enum E { E_0 = 0; E_2 = 2; E_1 = 1; }
`)
	b := mustParse(t, `syntax = "proto3";
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
message M {
  string a = 1;
  reserved 7;
  string b = 2;
  reserved 9;
  oneof o { string x = 5; string y = 6; }
}
enum E { E_0 = 0; E_1 = 1; E_2 = 2; }
`)
	if a.Normalized() != b.Normalized() {
		t.Errorf("normalized forms differ:\n%s---\n%s", a.Normalized(), b.Normalized())
	}
	if a.Identity() == b.Identity() {
		t.Errorf("identities should keep declaration order, both are:\n%s", a.Identity())
	}
}

// TestIgnoreExtensionsKeepsConfluentOptions checks that the
// ignore_extensions form keeps Confluent's own custom options (package
// confluent), which its serializers read, and drops every other one.
func TestIgnoreExtensionsKeepsConfluentOptions(t *testing.T) {
	t.Parallel()
	meta := `syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
message Meta { string doc = 1; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }`
	other := `syntax = "proto3";
package acme;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { string pii = 50300; }`
	text := `syntax = "proto3";
package shop.v1;
import "confluent/meta.proto";
import "acme/opts.proto";
message Order {
  string email = 1 [(confluent.field_meta) = { doc: "kept" }, (acme.pii) = "dropped"];
}`
	s, err := Parse(DefaultName, text, []schema.Dependency{
		{Name: "confluent/meta.proto", Text: meta}, {Name: "acme/opts.proto", Text: other},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := s.Render("ignore_extensions")
	if !ok {
		t.Fatal(`Render("ignore_extensions") is not supported`)
	}
	if !strings.Contains(got, `(.confluent.field_meta) = { doc: "kept" }`) || strings.Contains(got, "acme.pii") {
		t.Fatalf("ignore_extensions form:\n%s", got)
	}
	if !strings.Contains(s.Identity(), "acme.pii") {
		t.Fatalf("Identity lost a custom option:\n%s", s.Identity())
	}
}
