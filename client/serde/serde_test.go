package serde_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
	"github.com/schemata-dev/schemata/srapi"
)

// order is a Go value of orderAvsc, tagged for hamba/avro (avro) and for
// Confluent's Avro serde (json, through heetch/avro).
type order struct {
	ID      int64  `avro:"id" json:"id"`
	Note    string `avro:"note" json:"note"`
	Comment string `avro:"comment" json:"comment"`
}

func TestAvroRoundTrip(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	reg := newRegistry(t, url)
	want := order{ID: 7, Note: "leave at the door", Comment: "x"}

	tests := []struct {
		name string
		opts []serde.SerializerOption
		// subject the schema must end up under.
		subject string
	}{
		{"AutoRegisterUnderTopicValue", []serde.SerializerOption{serde.AutoRegister()}, "orders-value"},
		{"AutoRegisterUnderTopicKey", []serde.SerializerOption{serde.AutoRegister(), serde.ForKeys()}, "orders-key"},
		{"AutoRegisterUnderRecordName", []serde.SerializerOption{serde.AutoRegister(), serde.WithSubjectNameStrategy(serde.RecordName)}, "shop.Order"},
		{"AutoRegisterUnderTopicRecordName", []serde.SerializerOption{serde.AutoRegister(), serde.WithSubjectNameStrategy(serde.TopicRecordName)}, "orders-shop.Order"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ser, err := serde.NewSerializer(reg, client.Schema{Schema: orderAvsc}, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ser.Serialize(t.Context(), "orders", &want)
			if err != nil {
				t.Fatal(err)
			}
			sv, err := reg.Client().Version(t.Context(), tc.subject, client.Latest, nil)
			if err != nil {
				t.Fatalf("subject %s: %v", tc.subject, err)
			}
			if id, _, err := serde.ParseHeader(b); err != nil || id != sv.ID {
				t.Errorf("header id = %d, %v; want %d", id, err, sv.ID)
			}
			var got order
			sch, err := serde.NewDeserializer(reg).Deserialize(t.Context(), b, &got)
			if err != nil || got != want || sch.ID != sv.ID {
				t.Errorf("deserialized %+v with schema %v, %v; want %+v", got, sch, err, want)
			}
			generic, _, err := serde.NewDeserializer(reg).DeserializeAny(t.Context(), b)
			if m, ok := generic.(map[string]any); err != nil || !ok || m["id"] != int64(7) || m["note"] != "leave at the door" {
				t.Errorf("generic = %#v, %v", generic, err)
			}
		})
	}
}

func TestSerializerIDSources(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	reg := newRegistry(t, url)
	// Without AutoRegister the schema must be registered.
	ser, err := serde.NewSerializer(reg, client.Schema{Schema: orderAvsc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ser.Serialize(t.Context(), "orders", &order{}); !errors.Is(err, srapi.ErrSubjectNotFound) {
		t.Fatalf("unregistered schema: %v, want ErrSubjectNotFound", err)
	}
	id := register(t, url, "orders-value", orderAvsc)

	tests := []struct {
		name   string
		schema client.Schema
		opts   []serde.SerializerOption
	}{
		{"Lookup", client.Schema{Schema: orderAvsc}, nil},
		{"Latest", client.Schema{}, []serde.SerializerOption{serde.UseLatest()}},
		{"FixedID", client.Schema{}, []serde.SerializerOption{serde.UseSchemaID(id)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ser, err := serde.NewSerializer(reg, tc.schema, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ser.Serialize(t.Context(), "orders", &order{ID: 1, Note: "n"})
			if err != nil {
				t.Fatal(err)
			}
			if got, _, _ := serde.ParseHeader(b); got != id {
				t.Errorf("id = %d, want %d", got, id)
			}
		})
	}
}

const shopProto = `syntax = "proto3";
package shop;
import "money.proto";
message Order {
  int64 id = 1;
  Money total = 2;
  message Line { string sku = 1; int32 qty = 2; }
  repeated Line lines = 3;
}
message Refund { int64 order_id = 1; }
`

const moneyProto = `syntax = "proto3";
package shop;
message Money { int64 units = 1; string currency = 2; }
`

func TestProtobufRoundTripWithReferences(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	reg := newRegistry(t, url)
	if _, err := reg.Client().Register(t.Context(), "money", client.Schema{Schema: moneyProto, SchemaType: client.TypeProtobuf}, nil); err != nil {
		t.Fatal(err)
	}
	schema := client.Schema{Schema: shopProto, SchemaType: client.TypeProtobuf,
		References: []client.Reference{{Name: "money.proto", Subject: "money", Version: 1}}}
	ser, err := serde.NewSerializer(reg, schema, serde.AutoRegister())
	if err != nil {
		t.Fatal(err)
	}
	// Dynamic messages from the registered schema itself.
	id, err := reg.Client().Register(t.Context(), "shop-value", schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := reg.SchemaByID(t.Context(), id.ID)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := sch.Parsed()
	if err != nil {
		t.Fatal(err)
	}
	file := parsed.(*serde.ProtobufSchema).File

	tests := []struct {
		name    string
		message protoreflect.FullName
		indexes []byte // the message-index list on the wire
		fill    func(m *dynamicpb.Message)
	}{
		{"FirstMessage", "shop.Order", []byte{0}, func(m *dynamicpb.Message) {
			fd := m.Descriptor().Fields()
			m.Set(fd.ByName("id"), protoreflect.ValueOfInt64(42))
			total := m.Mutable(fd.ByName("total")).Message()
			total.Set(total.Descriptor().Fields().ByName("units"), protoreflect.ValueOfInt64(1999))
			lines := m.Mutable(fd.ByName("lines")).List()
			line := lines.NewElement()
			line.Message().Set(line.Message().Descriptor().Fields().ByName("sku"), protoreflect.ValueOfString("A-1"))
			lines.Append(line)
		}},
		{"SecondMessage", "shop.Refund", binary.AppendVarint(binary.AppendVarint(nil, 1), 1), func(m *dynamicpb.Message) {
			m.Set(m.Descriptor().Fields().ByName("order_id"), protoreflect.ValueOfInt64(42))
		}},
		{"NestedMessage", "shop.Order.Line", binary.AppendVarint(binary.AppendVarint(binary.AppendVarint(nil, 2), 0), 0), func(m *dynamicpb.Message) {
			m.Set(m.Descriptor().Fields().ByName("qty"), protoreflect.ValueOfInt32(3))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			desc := messageByName(file, tc.message)
			if desc == nil {
				t.Fatalf("no message %s", tc.message)
			}
			in := dynamicpb.NewMessage(desc)
			tc.fill(in)
			b, err := ser.Serialize(t.Context(), "shop", in)
			if err != nil {
				t.Fatal(err)
			}
			if got := b[serde.HeaderSize : serde.HeaderSize+len(tc.indexes)]; string(got) != string(tc.indexes) {
				t.Errorf("message indexes = %x, want %x", got, tc.indexes)
			}
			out, _, err := serde.NewDeserializer(reg).DeserializeAny(t.Context(), b)
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(out.(proto.Message), in) {
				t.Errorf("decoded %v, want %v", out, in)
			}
			typed := dynamicpb.NewMessage(desc)
			if _, err := serde.NewDeserializer(reg).Deserialize(t.Context(), b, typed); err != nil || !proto.Equal(typed, in) {
				t.Errorf("Deserialize = %v, %v", typed, err)
			}
		})
	}
}

// messageByName finds a message, nested ones included, in file.
func messageByName(file protoreflect.FileDescriptor, name protoreflect.FullName) protoreflect.MessageDescriptor {
	var find func(protoreflect.MessageDescriptors) protoreflect.MessageDescriptor
	find = func(ms protoreflect.MessageDescriptors) protoreflect.MessageDescriptor {
		for i := range ms.Len() {
			if ms.Get(i).FullName() == name {
				return ms.Get(i)
			}
			if md := find(ms.Get(i).Messages()); md != nil {
				return md
			}
		}
		return nil
	}
	return find(file.Messages())
}

// timestampProto declares google.protobuf.Timestamp, so that the generated
// timestamppb type is a message of the registered schema.
const timestampProto = `syntax = "proto3";
package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
`

func TestProtobufGeneratedType(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, startRegistry(t))
	ser, err := serde.NewSerializer(reg, client.Schema{Schema: timestampProto, SchemaType: client.TypeProtobuf}, serde.AutoRegister())
	if err != nil {
		t.Fatal(err)
	}
	in := &timestamppb.Timestamp{Seconds: 1767225600, Nanos: 5}
	b, err := ser.Serialize(t.Context(), "ticks", in)
	if err != nil {
		t.Fatal(err)
	}
	var out timestamppb.Timestamp
	if _, err := serde.NewDeserializer(reg).Deserialize(t.Context(), b, &out); err != nil || !proto.Equal(&out, in) {
		t.Errorf("decoded %v, %v; want %v", &out, err, in)
	}
	// A message the schema does not define is refused on both sides.
	if _, err := ser.Serialize(t.Context(), "ticks", &durationpb.Duration{Seconds: 1}); err == nil {
		t.Error("serialized a message the schema does not define")
	}
	if _, err := serde.NewDeserializer(reg).Deserialize(t.Context(), b, &durationpb.Duration{}); err == nil {
		t.Error("decoded a google.protobuf.Timestamp into a google.protobuf.Duration")
	}
}

func TestDeserializeRejectsForeignBytes(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, startRegistry(t))
	de := serde.NewDeserializer(reg)
	for _, b := range [][]byte{nil, {0, 0, 0}, {1, 0, 0, 0, 1, 2}, []byte(`{"json":true}`)} {
		var v any
		if _, err := de.Deserialize(t.Context(), b, &v); !errors.Is(err, serde.ErrNotWireFormat) {
			t.Errorf("Deserialize(%q) = %v, want ErrNotWireFormat", b, err)
		}
	}
}
