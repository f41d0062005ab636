package protobuf

import (
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
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
	s, err := Parse(DefaultName, text, nil)
	if err != nil {
		t.Fatal(err)
	}
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
	if len(got) != len(want) {
		t.Fatalf("Deprecations() = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Deprecations()[%d] = %+v\nwant %+v", i, got[i], want[i])
		}
	}
	got[0].Path = "changed"
	if s.Deprecations()[0].Path != want[0].Path {
		t.Error("Deprecations() returned the schema's own slice")
	}
}
