package serde_test

import (
	"context"
	"testing"

	"github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
)

// BenchmarkLookupByIDHit measures the hot path of a deserializer: the
// lookup of a cached schema id, from all goroutines at once.
func BenchmarkLookupByIDHit(b *testing.B) {
	url := startRegistry(b)
	id := register(b, url, "orders-value", orderAvsc)
	reg := newRegistry(b, url)
	ctx := context.Background()
	if _, err := reg.SchemaByID(ctx, id); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if s, err := reg.SchemaByID(ctx, id); err != nil || s.ID != id {
				b.Fatalf("lookup = %v, %v", s, err)
			}
		}
	})
}

// wide is a 20-field record, the size of a typical event.
type wide struct {
	ID        int64   `avro:"id"`
	Customer  string  `avro:"customer"`
	Email     string  `avro:"email"`
	Country   string  `avro:"country"`
	City      string  `avro:"city"`
	Street    string  `avro:"street"`
	Zip       string  `avro:"zip"`
	Items     int32   `avro:"items"`
	Total     float64 `avro:"total"`
	Tax       float64 `avro:"tax"`
	Discount  float32 `avro:"discount"`
	Paid      bool    `avro:"paid"`
	Shipped   bool    `avro:"shipped"`
	CreatedAt int64   `avro:"created_at"`
	UpdatedAt int64   `avro:"updated_at"`
	Channel   string  `avro:"channel"`
	Currency  string  `avro:"currency"`
	Note      string  `avro:"note"`
	Priority  int32   `avro:"priority"`
	Version   int64   `avro:"version"`
}

const wideAvsc = `{"type":"record","name":"Wide","namespace":"shop","fields":[
{"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"email","type":"string"},
{"name":"country","type":"string"},{"name":"city","type":"string"},{"name":"street","type":"string"},
{"name":"zip","type":"string"},{"name":"items","type":"int"},{"name":"total","type":"double"},
{"name":"tax","type":"double"},{"name":"discount","type":"float"},{"name":"paid","type":"boolean"},
{"name":"shipped","type":"boolean"},{"name":"created_at","type":"long"},{"name":"updated_at","type":"long"},
{"name":"channel","type":"string"},{"name":"currency","type":"string"},{"name":"note","type":"string"},
{"name":"priority","type":"int"},{"name":"version","type":"long"}]}`

var wideValue = wide{
	ID: 123456789, Customer: "Ada Lovelace", Email: "ada@example.com", Country: "GB", City: "London",
	Street: "12 St James's Square", Zip: "SW1Y 4JH", Items: 3, Total: 129.5, Tax: 21.58, Discount: 0.1,
	Paid: true, CreatedAt: 1767225600000, UpdatedAt: 1767225660000, Channel: "web", Currency: "GBP",
	Note: "leave at the door", Priority: 2, Version: 7,
}

// serializedWide starts a registry and returns a client of it, a
// serializer that registers wideAvsc under topic "wide", and wideValue
// serialized once (which registers the schema).
func serializedWide(ctx context.Context, b *testing.B) (*serde.Registry, *serde.Serializer, []byte) {
	b.Helper()
	reg := newRegistry(b, startRegistry(b))
	ser, err := serde.NewSerializer(reg, client.Schema{Schema: wideAvsc}, serde.AutoRegister())
	if err != nil {
		b.Fatal(err)
	}
	msg, err := ser.Serialize(ctx, "wide", &wideValue)
	if err != nil {
		b.Fatal(err)
	}
	return reg, ser, msg
}

// BenchmarkSerializeAvro compares the serializer (lookup of the topic's
// schema, header, encoding) with hamba's own avro.Marshal of the same
// record.
func BenchmarkSerializeAvro(b *testing.B) {
	ctx := context.Background()
	_, ser, want := serializedWide(ctx, b)
	schema := avro.MustParse(wideAvsc)
	plain, err := avro.Marshal(schema, &wideValue)
	if err != nil {
		b.Fatal(err)
	}
	if string(plain) != string(want[serde.HeaderSize:]) {
		b.Fatal("the serializer's payload differs from avro.Marshal's")
	}

	b.Run("Serializer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ser.Serialize(ctx, "wide", &wideValue); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("HambaMarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := avro.Marshal(schema, &wideValue); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDeserializeAvro measures the consumer's path: header, cached
// lookup, decoding into a struct.
func BenchmarkDeserializeAvro(b *testing.B) {
	ctx := context.Background()
	reg, _, msg := serializedWide(ctx, b)
	de := serde.NewDeserializer(reg)
	b.ReportAllocs()
	for b.Loop() {
		var w wide
		if _, err := de.Deserialize(ctx, msg, &w); err != nil {
			b.Fatal(err)
		}
	}
}
