package compat

import (
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

func TestNearestPos(t *testing.T) {
	t.Parallel()
	avroText := `{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"},
    {
      "name": "lines",
      "type": {"type": "array", "items": {
        "type": "record", "name": "Line",
        "fields": [{"name": "sku", "type": "string"}]
      }}
    },
    {"name": "pay", "type": ["null", "string"], "default": null}
  ]
}`
	protoText := `syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  message Line {
    string sku = 1;
  }
}
`
	noPackage := "syntax = \"proto3\";\n\nmessage Order {\n  string id = 1;\n}\n"
	as := mustAvro(t, avroText)
	ps := mustProto(t, protoText, nil)
	np := mustProto(t, noPackage, nil)
	tests := []struct {
		name string
		s    schema.Schema
		path string
		want schema.Position
	}{
		{"AvroPresentFieldIsItself", as, "Order.id", schema.Position{Line: 5, Column: 5}},
		{"AvroRemovedRootFieldIsTheRecord", as, "Order.legacy", schema.Position{Line: 1, Column: 1}},
		{"AvroRemovedItemFieldIsTheItemRecord", as, "Order.lines[].note", as.Pos("Order.lines[]")},
		{"AvroRemovedBranchIsTheUnion", as, "Order.pay<long>", as.Pos("Order.pay")},
		{"AvroRemovedFieldOfRemovedRecord", as, "Order.gone.deeper", schema.Position{Line: 1, Column: 1}},
		{"ProtoRemovedFieldIsTheMessage", ps, "shop.v1.Order.qty", schema.Position{Line: 4, Column: 1}},
		{"ProtoRemovedNestedFieldIsTheNestedMessage", ps, "shop.v1.Order.Line.note", schema.Position{Line: 6, Column: 3}},
		{"ProtoRemovedTopLevelMessageIsThePackage", ps, "shop.v1.Refund", schema.Position{Line: 2, Column: 1}},
		{"ProtoWithoutPackageFallsBackToTheFirstLine", np, "Refund", schema.Position{Line: 1, Column: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.want.IsValid() {
				t.Fatalf("test case expects an invalid position")
			}
			if got := nearestPos(tt.s, tt.path); got != tt.want {
				t.Errorf("nearestPos(%q) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}
