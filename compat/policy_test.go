package compat

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// policyCase is one change judged by the additive-only policy: an old and
// a new text, and the rules whose error findings the change must produce
// (none for a change the policy accepts).
type policyCase struct {
	name     string
	old, new string
	// minDeprecationDays is the policy's minimum deprecation period; the
	// old version is registered a year before the check.
	minDeprecationDays int
	want               []string
}

// protoFile wraps message and enum declarations in a proto3 file of
// package shop.v1.
func protoFile(body string) string {
	return "syntax = \"proto3\";\npackage shop.v1;\n\n" + body + "\n"
}

// avroOrder wraps field declarations in record shop.Order.
func avroOrder(fields ...string) string {
	return `{"type": "record", "name": "Order", "namespace": "shop", "fields": [` + strings.Join(fields, ",\n") + `]}`
}

const (
	pbOrder = "message Order {\n  string id = 1;\n}\n"
	avID    = `{"name": "id", "type": "string"}`
)

// TestAdditivePolicyCorpus runs a corpus of changes through Check under
// the additive-only policy, with the level that registries default to,
// and compares the rules of the error findings with the policy table:
// additions pass, changes fail, removals fail unless their deprecation
// has run its course.
func TestAdditivePolicyCorpus(t *testing.T) {
	t.Parallel()
	proto := []policyCase{
		{name: "TopLevelMessageAdded", old: pbOrder, new: pbOrder + "message Extra {\n  string note = 1;\n}\n"},
		{name: "MessageAddedBeforeTheOthers", old: pbOrder, new: "message Header {\n  string trace = 1;\n}\n" + pbOrder},
		{name: "NestedMessageAdded", old: pbOrder, new: "message Order {\n  string id = 1;\n  message Line {\n    string sku = 1;\n  }\n}\n"},
		{name: "DeeplyNestedMessageAdded", old: "message Order {\n  string id = 1;\n  message Line {\n    string sku = 1;\n  }\n}\n",
			new: "message Order {\n  string id = 1;\n  message Line {\n    string sku = 1;\n    message Tax {\n      int64 micros = 1;\n    }\n  }\n}\n"},
		{name: "MessageAddedForANewField", old: pbOrder, new: "message Order {\n  string id = 1;\n  Money total = 2;\n}\nmessage Money {\n  int64 units = 1;\n}\n"},
		{name: "MapOfNewMessageAdded", old: pbOrder, new: "message Order {\n  string id = 1;\n  map<string, Money> totals = 2;\n}\nmessage Money {\n  int64 units = 1;\n}\n"},
		{name: "TopLevelEnumAdded", old: pbOrder, new: "enum Channel {\n  CHANNEL_UNSPECIFIED = 0;\n}\n" + pbOrder},
		{name: "NestedEnumAddedWithField", old: pbOrder, new: "message Order {\n  string id = 1;\n  enum Kind {\n    KIND_UNSPECIFIED = 0;\n  }\n  Kind kind = 2;\n}\n"},
		{name: "EnumValueAdded", old: "enum Kind {\n  KIND_UNSPECIFIED = 0;\n}\n" + pbOrder, new: "enum Kind {\n  KIND_UNSPECIFIED = 0;\n  KIND_RUSH = 1;\n}\n" + pbOrder},
		{name: "ServiceAdded", old: pbOrder, new: pbOrder + "service Orders {\n  rpc Put(Order) returns (Order);\n}\n"},
		{name: "RPCAddedWithItsMessages", old: pbOrder + "service Orders {\n  rpc Put(Order) returns (Order);\n}\n",
			new: pbOrder + "message ListRequest {\n  int32 size = 1;\n}\nmessage ListResponse {\n  repeated Order orders = 1;\n}\nservice Orders {\n  rpc Put(Order) returns (Order);\n  rpc List(ListRequest) returns (ListResponse);\n}\n"},
		{name: "OptionalFieldAdded", old: pbOrder, new: "message Order {\n  string id = 1;\n  optional string note = 2;\n}\n"},
		{name: "RepeatedFieldAdded", old: pbOrder, new: "message Order {\n  string id = 1;\n  repeated string tags = 2;\n}\n"},
		{name: "OneofOfNewFieldsAdded", old: pbOrder, new: "message Order {\n  string id = 1;\n  oneof pay {\n    string card = 2;\n    string voucher = 3;\n  }\n}\n"},
		{name: "ReservationAdded", old: "message Order {\n  string id = 1;\n  string note = 2 [deprecated = true];\n}\n", new: "message Order {\n  string id = 1;\n  reserved 2;\n  reserved \"note\";\n}\n", minDeprecationDays: 30},
		{name: "FieldRemoved", old: "message Order {\n  string id = 1;\n  string note = 2;\n}\n", new: pbOrder, want: []string{"PROTO_ADDITIVE_FIELD_REMOVED"}},
		{name: "DeprecatedFieldRemovedUnreserved", old: "message Order {\n  string id = 1;\n  string note = 2 [deprecated = true];\n}\n", new: pbOrder, minDeprecationDays: 30, want: []string{"PROTO_ADDITIVE_REMOVED_NOT_RESERVED"}},
		{name: "DeprecatedFieldRemovedEarly", old: "message Order {\n  string id = 1;\n  string note = 2 [deprecated = true];\n}\n", new: "message Order {\n  string id = 1;\n  reserved 2;\n  reserved \"note\";\n}\n", minDeprecationDays: 400, want: []string{"PROTO_ADDITIVE_DEPRECATED_REMOVED_EARLY"}},
		{name: "TopLevelMessageRemoved", old: pbOrder + "message Extra {\n  string note = 1;\n}\n", new: pbOrder, want: []string{"PROTO_ADDITIVE_MESSAGE_REMOVED"}},
		{name: "NestedMessageRemoved", old: "message Order {\n  string id = 1;\n  message Line {\n    string sku = 1;\n  }\n}\n", new: pbOrder, want: []string{"PROTO_ADDITIVE_MESSAGE_REMOVED"}},
		{name: "DeprecatedMessageRemoved", old: pbOrder + "message Extra {\n  option deprecated = true;\n  string note = 1;\n}\n", new: pbOrder, minDeprecationDays: 30},
		{name: "EnumRemoved", old: "enum Kind {\n  KIND_UNSPECIFIED = 0;\n}\n" + pbOrder, new: pbOrder, want: []string{"PROTO_ADDITIVE_ENUM_REMOVED"}},
		{name: "EnumValueRemoved", old: "enum Kind {\n  KIND_UNSPECIFIED = 0;\n  KIND_RUSH = 1;\n}\n" + pbOrder, new: "enum Kind {\n  KIND_UNSPECIFIED = 0;\n}\n" + pbOrder, want: []string{"PROTO_ADDITIVE_ENUM_VALUE_REMOVED"}},
		{name: "FieldTypeChanged", old: pbOrder, new: "message Order {\n  bytes id = 1;\n}\n", want: []string{"PROTO_ADDITIVE_FIELD_TYPE_CHANGED"}},
		{name: "FieldRenumbered", old: pbOrder, new: "message Order {\n  string id = 2;\n}\n", want: []string{"PROTO_FIELD_NUMBER_CHANGED", "PROTO_ADDITIVE_FIELD_RENUMBERED"}},
	}
	avroCases := []policyCase{
		{name: "OptionalFieldAdded", old: avroOrder(avID), new: avroOrder(avID, `{"name": "note", "type": ["null", "string"], "default": null}`)},
		{name: "FieldWithDefaultAdded", old: avroOrder(avID), new: avroOrder(avID, `{"name": "qty", "type": "int", "default": 1}`)},
		{name: "RecordAddedThroughNewField", old: avroOrder(avID), new: avroOrder(avID, `{"name": "ship", "type": ["null", {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}], "default": null}`)},
		{name: "EnumAddedThroughNewField", old: avroOrder(avID), new: avroOrder(avID, `{"name": "ch", "type": {"type": "enum", "name": "Channel", "symbols": ["UNKNOWN", "WEB"], "default": "UNKNOWN"}, "default": "UNKNOWN"}`)},
		{name: "FixedAddedThroughNewField", old: avroOrder(avID), new: avroOrder(avID, `{"name": "md5", "type": ["null", {"type": "fixed", "name": "MD5", "size": 16}], "default": null}`)},
		{name: "RecordArrayAddedThroughNewField", old: avroOrder(avID), new: avroOrder(avID, `{"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"}]}}, "default": []}`)},
		{name: "EnumSymbolAddedToEnumWithDefault",
			old: avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U", "A"], "default": "U"}}`),
			new: avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U", "A", "B"], "default": "U"}}`)},
		{name: "PromotableUnionBranchAdded",
			old: avroOrder(`{"name": "n", "type": ["null", "long"], "default": null}`),
			new: avroOrder(`{"name": "n", "type": ["null", "long", "int"], "default": null}`)},
		{name: "DocAliasOrderAndPropertyAdded", old: avroOrder(avID), new: avroOrder(`{"name": "id", "type": "string", "doc": "the id", "aliases": ["orderId"], "order": "descending", "x-owner": "sales"}`)},
		{name: "FieldWithoutDefaultAdded", old: avroOrder(avID), new: avroOrder(avID, `{"name": "qty", "type": "int"}`),
			want: []string{"AVRO_READER_FIELD_MISSING_DEFAULT", "AVRO_ADDITIVE_FIELD_WITHOUT_DEFAULT"}},
		{name: "EnumSymbolAddedToEnumWithoutDefault",
			old:  avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U", "A"]}}`),
			new:  avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U", "A", "B"]}}`),
			want: []string{"AVRO_ENUM_SYMBOL_MISSING", "AVRO_ADDITIVE_ENUM_SYMBOL_WITHOUT_DEFAULT"}},
		{name: "UnreadableUnionBranchAdded",
			old:  avroOrder(`{"name": "n", "type": ["null", "long"], "default": null}`),
			new:  avroOrder(`{"name": "n", "type": ["null", "long", "string"], "default": null}`),
			want: []string{"AVRO_UNION_BRANCH_MISSING"}},
		{name: "FieldTypePromoted", old: avroOrder(`{"name": "n", "type": "int"}`), new: avroOrder(`{"name": "n", "type": "long"}`),
			want: []string{"AVRO_TYPE_MISMATCH", "AVRO_ADDITIVE_FIELD_TYPE_CHANGED"}},
		{name: "FieldRemoved", old: avroOrder(avID, `{"name": "note", "type": "string", "default": ""}`), new: avroOrder(avID),
			want: []string{"AVRO_ADDITIVE_FIELD_REMOVED"}},
		{name: "DeprecatedFieldRemovedAfterThePeriod", old: avroOrder(avID, `{"name": "note", "type": "string", "default": "", "deprecated": true}`), new: avroOrder(avID), minDeprecationDays: 30},
		{name: "DeprecatedFieldRemovedEarly", old: avroOrder(avID, `{"name": "note", "type": "string", "default": "", "deprecated": true}`), new: avroOrder(avID), minDeprecationDays: 400,
			want: []string{"AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY"}},
		{name: "RecordRemovedWithItsField",
			old: avroOrder(avID, `{"name": "ship", "type": ["null", {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}], "default": null}`),
			new: avroOrder(avID), want: []string{"AVRO_ADDITIVE_FIELD_REMOVED"}},
		{name: "EnumSymbolRemoved",
			old:  avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U", "A"], "default": "U"}}`),
			new:  avroOrder(`{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["U"], "default": "U"}}`),
			want: []string{"AVRO_ADDITIVE_ENUM_SYMBOL_REMOVED"}},
	}
	parseProto := func(text string) (schema.Schema, error) {
		return protobuf.Parse(protobuf.DefaultName, protoFile(text), nil)
	}
	parseAvro := func(text string) (schema.Schema, error) { return avro.Parse(text, nil) }
	for _, set := range []struct {
		format string
		parse  func(string) (schema.Schema, error)
		cases  []policyCase
	}{{"Protobuf", parseProto, proto}, {"Avro", parseAvro, avroCases}} {
		for _, tt := range set.cases {
			t.Run(set.format+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				old, err := set.parse(tt.old)
				if err != nil {
					t.Fatalf("old: %v", err)
				}
				new, err := set.parse(tt.new)
				if err != nil {
					t.Fatalf("new: %v", err)
				}
				res := Check(additiveRequest(Backward, old, new, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
					time.Duration(tt.minDeprecationDays)*24*time.Hour))
				var got []string
				for _, f := range res.Findings {
					if f.Severity != Error {
						continue
					}
					if !slices.Contains(got, f.RuleID) {
						got = append(got, f.RuleID)
					}
					if !f.New.IsValid() || !f.Old.IsValid() {
						t.Errorf("finding not located on both sides: %s new=%s old=%s", f, f.New, f.Old)
					}
					if removal := strings.Contains(tt.name, "Removed"); f.NewEnclosing != removal {
						t.Errorf("finding %s: NewEnclosing = %v, want %v (the element is removed: %v)", f, f.NewEnclosing, removal, removal)
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("error rules = %v, want %v\n%s", got, tt.want, strings.Join(res.Messages(), "\n"))
				}
				if res.Compatible() != (len(tt.want) == 0) {
					t.Errorf("Compatible() = %v with findings %v", res.Compatible(), res.Messages())
				}
			})
		}
	}
}
