package protobuf

import (
	"fmt"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

func TestDeprecations(t *testing.T) {
	t.Parallel()
	text := `syntax = "proto3";
package shop.v1;

message Order {
  // The line items.
  // @sunset 2026-06-01 @replacement shop.v1.Order.lines
  // @reason totals are now computed per line
  repeated string items = 1 [deprecated = true];
  repeated string lines = 2;
  // @sunset 2020-01-01 is ignored: the field is not deprecated
  string note = 3;
  string legacy = 4 [deprecated = true];
  map<string, int32> stock = 5 [deprecated = true];

  message Item {
    option deprecated = true;
    string sku = 1;
  }
}

// @replacement shop.v1.State
enum Status {
  option deprecated = true;
  STATUS_UNSPECIFIED = 0;
  STATUS_OLD = 1 [deprecated = true];
}

message Fine {
  string a = 1 [deprecated = false];
}
`
	s := mustParse(t, text)
	sunset := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	want := []schema.Deprecation{
		{Path: "shop.v1.Order.items", Kind: KindField, Reason: "totals are now computed per line", Sunset: sunset, Replacement: "shop.v1.Order.lines", Pos: schema.Position{Line: 8, Column: 3}},
		{Path: "shop.v1.Order.legacy", Kind: KindField, Pos: schema.Position{Line: 12, Column: 3}},
		{Path: "shop.v1.Order.stock", Kind: KindField, Pos: schema.Position{Line: 13, Column: 3}},
		{Path: "shop.v1.Order.Item", Kind: KindMessage, Pos: schema.Position{Line: 15, Column: 3}},
		{Path: "shop.v1.Status", Kind: KindEnum, Replacement: "shop.v1.State", Pos: schema.Position{Line: 22, Column: 1}},
		{Path: "shop.v1.Status.STATUS_OLD", Kind: KindEnumValue, Pos: schema.Position{Line: 25, Column: 3}},
	}
	got := s.Deprecations()
	schematest.Deprecations(t, got, want)
	got[0].Path = "changed"
	if s.Deprecations()[0].Path != want[0].Path {
		t.Error("Deprecations() returned the schema's own slice")
	}
}

// TestDeprecationTagsArePartOfIdentity: a sunset, replacement or reason
// is deprecation metadata of the version, so changing only it makes
// another schema, and both printed forms keep it (a normalized text
// re-parses to the same deprecations).
func TestDeprecationTagsArePartOfIdentity(t *testing.T) {
	t.Parallel()
	const tmpl = `syntax = "proto3";
package shop.v1;

message Order {
  %s
  string note = 1 [deprecated = true];
  string comment = 2;
  enum Kind {
    KIND_UNSPECIFIED = 0;
    %s
    KIND_OLD = 1 [deprecated = true];
  }
}
`
	parse := func(fieldTags, valueTags string) *Schema {
		t.Helper()
		return mustParse(t, fmt.Sprintf(tmpl, fieldTags, valueTags))
	}
	base := parse("// @sunset 2030-06-01 @replacement shop.v1.Order.comment", "// @sunset 2030-01-01")
	tests := []struct {
		name               string
		field, value       string
		sameIdentityAsBase bool
	}{
		{"same tags, other comment text", "// free text moves on\n  // @sunset 2030-06-01   @replacement shop.v1.Order.comment", "// @sunset 2030-01-01", true},
		{"other field sunset", "// @sunset 2031-06-01 @replacement shop.v1.Order.comment", "// @sunset 2030-01-01", false},
		{"other replacement", "// @sunset 2030-06-01 @replacement shop.v1.Order.other", "// @sunset 2030-01-01", false},
		{"a reason added", "// @sunset 2030-06-01 @replacement shop.v1.Order.comment\n  // @reason moved", "// @sunset 2030-01-01", false},
		{"other enum value sunset", "// @sunset 2030-06-01 @replacement shop.v1.Order.comment", "// @sunset 2029-01-01", false},
		{"no tags", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := parse(tt.field, tt.value)
			if got := s.Identity() == base.Identity(); got != tt.sameIdentityAsBase {
				t.Errorf("identity equal = %v, want %v\n%s\n--- base:\n%s", got, tt.sameIdentityAsBase, s.Identity(), base.Identity())
			}
			for _, form := range []string{s.Identity(), s.Normalized()} {
				again, err := Parse(DefaultName, form, nil)
				if err != nil {
					t.Fatalf("printed form does not parse: %v\n%s", err, form)
				}
				if got, want := fmt.Sprint(stripPos(again.Deprecations())), fmt.Sprint(stripPos(s.Deprecations())); got != want {
					t.Errorf("printed form lost deprecation tags:\n got %s\nwant %s\n%s", got, want, form)
				}
			}
		})
	}
}

func stripPos(ds []schema.Deprecation) []schema.Deprecation {
	for i := range ds {
		ds[i].Pos = schema.Position{}
	}
	return ds
}
