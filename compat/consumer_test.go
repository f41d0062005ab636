package compat

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// TestConsumerRuleTable pins the consumer rules: IDs never change.
func TestConsumerRuleTable(t *testing.T) {
	t.Parallel()
	var got []string
	for _, r := range Rules() {
		if !strings.HasPrefix(r.ID, "CONSUMER_") {
			continue
		}
		if r.Purpose == "" || !slices.Equal(r.Categories, []Category{CategoryConsumer}) {
			t.Errorf("rule %s: want a purpose and exactly the CONSUMER category: %+v", r.ID, r)
		}
		got = append(got, fmt.Sprintf("%s %s %s", r.ID, r.Format, r.Severity))
	}
	slices.Sort(got)
	want := []string{
		"CONSUMER_FIELD_MISSING  error",
		"CONSUMER_FIELD_NUMBER_CHANGED PROTOBUF error",
		"CONSUMER_FIELD_TYPE_CHANGED  error",
		"CONSUMER_FIELD_UNKNOWN  warning",
		"CONSUMER_MESSAGE_MISSING PROTOBUF error",
		"CONSUMER_READER_INCOMPATIBLE  error",
	}
	if !slices.Equal(got, want) {
		t.Errorf("consumer rules =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// consumerAvro parses record shop.Order with the given fields.
func consumerAvro(t *testing.T, fields string) schema.Schema {
	t.Helper()
	return mustAvro(t, avroOrder(fields))
}

// consumerProto parses a proto3 file of package shop.v1 with body.
func consumerProto(t *testing.T, body string) schema.Schema {
	t.Helper()
	return mustProto(t, protoFile(body), nil)
}

func TestCheckConsumer(t *testing.T) {
	t.Parallel()
	const (
		id      = `{"name":"id","type":"long"}`
		note    = `{"name":"note","type":"string","default":""}`
		items   = `{"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"sku","type":"string"}]}}}`
		itemsNo = `{"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"code","type":"string"}]}}}`
		opt     = `{"name":"email","type":["null","string"],"default":null}`
		optBad  = `{"name":"email","type":["null","int"],"default":null}`
	)
	pOrder := `message Order { int64 id = 1; string note = 2; repeated Item items = 3; map<string, int64> tags = 4; }
message Item { string sku = 1; }`
	// avroOf and protoOf build the writer and reference schemas of a case.
	avroOf := func(fields string) func(*testing.T) schema.Schema {
		return func(t *testing.T) schema.Schema { return consumerAvro(t, fields) }
	}
	protoOf := func(body string) func(*testing.T) schema.Schema {
		return func(t *testing.T) schema.Schema { return consumerProto(t, body) }
	}
	tests := []struct {
		name      string
		reader    ConsumerReader
		writer    func(t *testing.T) schema.Schema
		reference func(t *testing.T) schema.Schema
		want      []string // rule@path
	}{
		{
			name:      "AvroFieldsAllPresent",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"id", "Order.note"}},
			writer:    avroOf(id + "," + note),
			reference: avroOf(id + "," + note),
		},
		{
			name:      "AvroNestedFieldInArrayRemoved",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"Order.items[].sku"}},
			writer:    avroOf(id + "," + itemsNo),
			reference: avroOf(id + "," + items),
			want:      []string{"CONSUMER_FIELD_MISSING@Order.items[].sku"},
		},
		{
			name:      "AvroUnionBranchRetyped",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"email"}},
			writer:    avroOf(id + "," + optBad),
			reference: avroOf(id + "," + opt),
			want:      []string{"CONSUMER_FIELD_TYPE_CHANGED@Order.email"},
		},
		{
			name:      "AvroUnknownFieldIsAWarning",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"nothing"}},
			writer:    avroOf(id),
			reference: avroOf(id),
			want:      []string{"CONSUMER_FIELD_UNKNOWN@nothing"},
		},
		{
			name:   "AvroReaderWithoutDefaultCannotReadRemoval",
			reader: ConsumerReader{Consumer: "c", Reader: nil},
			writer: avroOf(id),
		},
		{
			name:      "ProtoFieldsByFullAndRelativeName",
			reader:    ConsumerReader{Consumer: "c", Message: "shop.v1.Order", Fields: []string{"shop.v1.Order.id", "items.sku", "tags"}},
			writer:    protoOf(pOrder),
			reference: protoOf(pOrder),
		},
		{
			name:      "ProtoMapValueRetyped",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"Order.tags"}},
			writer:    protoOf(strings.Replace(pOrder, "map<string, int64>", "map<string, string>", 1)),
			reference: protoOf(pOrder),
			want:      []string{"CONSUMER_FIELD_TYPE_CHANGED@shop.v1.Order.tags"},
		},
		{
			name:      "ProtoWireCompatibleChangeIsFine",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"Order.id"}},
			writer:    protoOf(strings.Replace(pOrder, "int64 id", "uint64 id", 1)),
			reference: protoOf(pOrder),
		},
		{
			name:      "ProtoRenamedFieldIsMissing",
			reader:    ConsumerReader{Consumer: "c", Fields: []string{"Order.note"}},
			writer:    protoOf(strings.Replace(pOrder, "string note = 2", "string remark = 2", 1)),
			reference: protoOf(pOrder),
			want:      []string{"CONSUMER_FIELD_MISSING@shop.v1.Order.note"},
		},
		{
			name: "ProtoReaderMessageRemoved",
			reader: ConsumerReader{Consumer: "c", Message: "shop.v1.Item", Reader: func() schema.Schema {
				s, _ := protobuf.Parse("r.proto", "syntax = \"proto3\";\npackage shop.v1;\nmessage Item { string sku = 1; }", nil)
				return s
			}()},
			writer: protoOf("message Order { int64 id = 1; }"),
			want:   []string{"CONSUMER_MESSAGE_MISSING@shop.v1.Item"},
		},
		{
			name: "ProtoReaderRecursesIntoMessages",
			reader: ConsumerReader{Consumer: "c", Reader: func() schema.Schema {
				s, _ := protobuf.Parse("r.proto", "syntax = \"proto3\";\npackage shop.v1;\nmessage Order { repeated Item items = 3; }\nmessage Item { string sku = 1; }", nil)
				return s
			}()},
			writer: protoOf(strings.Replace(pOrder, "string sku = 1", "int32 sku = 1", 1)),
			want:   []string{"CONSUMER_FIELD_TYPE_CHANGED@shop.v1.Item.sku"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := ConsumerRequest{Consumer: tc.reader, Writer: tc.writer(t)}
			if tc.reference != nil {
				req.Reference = tc.reference(t)
			}
			if tc.name == "AvroReaderWithoutDefaultCannotReadRemoval" {
				req.Consumer.Reader = consumerAvro(t, id+`,{"name":"note","type":"string"}`)
				tc.want = []string{"CONSUMER_READER_INCOMPATIBLE@Order.note"}
			}
			var got []string
			for _, f := range CheckConsumer(req) {
				got = append(got, f.RuleID+"@"+f.Path)
				if f.Consumer != "c" || !strings.HasPrefix(f.Message, "consumer c ") {
					t.Errorf("finding %+v does not name the consumer", f)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPathsOverlapAndReads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"Order.customer", "Order.customer.email", true},
		{"Order.items", "Order.items[].sku", true},
		{"Order.meta", "Order.meta{}", true},
		{"Order.pay", "Order.pay<Card>.number", true},
		{"Order.note", "Order.note", true},
		{"Order.note", "Order.notes", false},
		{"Order.a", "Order.b", false},
	}
	for _, tc := range tests {
		if got := PathsOverlap(tc.a, tc.b); got != tc.want {
			t.Errorf("PathsOverlap(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := PathsOverlap(tc.b, tc.a); got != tc.want {
			t.Errorf("PathsOverlap(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.want)
		}
	}
	s := consumerAvro(t, `{"name":"id","type":"long"},{"name":"note","type":"string","default":""}`)
	fields := ConsumerReader{Fields: []string{"note"}}
	reader := ConsumerReader{Reader: consumerAvro(t, `{"name":"id","type":"long"}`)}
	if !fields.Reads(s, "Order.note") || fields.Reads(s, "Order.id") || !fields.Reads(s, "") {
		t.Error("a field consumer of note should read Order.note and the whole subject, not Order.id")
	}
	if reader.Reads(s, "Order.note") || !reader.Reads(s, "Order.id") {
		t.Error("a reader schema with only id should read Order.id, not Order.note")
	}
}

// TestConsumerReaderMessagesNameTheReader: a consumer's reader is named
// as such in findings, never as a version number, and the writer is named
// as the request says (the new schema, or the version a backfill check
// re-reads).
func TestConsumerReaderMessagesNameTheReader(t *testing.T) {
	t.Parallel()
	reader := consumerAvro(t, `{"name":"id","type":"long"},{"name":"note","type":"string"}`)
	writer := consumerAvro(t, `{"name":"id","type":"long"}`)
	tests := []struct {
		name       string
		writerName string
		version    int
		want       string
	}{
		{"NewSchema", "", 0, "consumer billing-etl (owner finance) cannot read data written with the new schema using its reader schema: " +
			"field `note` was removed, and consumer billing-etl's reader has no default for it [AVRO_READER_FIELD_MISSING_DEFAULT]"},
		{"Backfill", "version 3", 3, "consumer billing-etl (owner finance) cannot read data written with version 3 using its reader schema: " +
			"field `note` was removed, and consumer billing-etl's reader has no default for it [AVRO_READER_FIELD_MISSING_DEFAULT]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := CheckConsumer(ConsumerRequest{
				Consumer: ConsumerReader{Consumer: "billing-etl", Owner: "finance", Reader: reader},
				Writer:   writer, WriterName: tt.writerName, Version: tt.version,
			})
			if len(fs) != 1 || fs[0].Message != tt.want || fs[0].Version != tt.version {
				t.Fatalf("findings = %+v\nwant one, version %d: %s", fs, tt.version, tt.want)
			}
		})
	}
}
