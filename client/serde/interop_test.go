package serde_test

import (
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	confluent "github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde"
	confluentavro "github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde/avro"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
)

// TestConfluentAvroInterop exchanges bytes with Confluent's Go Avro serde
// (which encodes with heetch/avro, not hamba) through one registry, both
// ways.
func TestConfluentAvroInterop(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	cc, err := schemaregistry.NewClient(schemaregistry.NewConfig(url))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	cser, err := confluentavro.NewGenericSerializer(cc, confluent.ValueSerde, confluentavro.NewSerializerConfig())
	if err != nil {
		t.Fatal(err)
	}
	cde, err := confluentavro.NewGenericDeserializer(cc, confluent.ValueSerde, confluentavro.NewDeserializerConfig())
	if err != nil {
		t.Fatal(err)
	}
	reg := newRegistry(t, url)
	want := order{ID: 1 << 40, Note: "fragile", Comment: "ring twice"}

	t.Run("ConfluentToSerde", func(t *testing.T) {
		// Confluent's serializer registers the schema it derives from the
		// Go type under orders-value.
		b, err := cser.Serialize("orders", &want)
		if err != nil {
			t.Fatal(err)
		}
		var got order
		if _, err := serde.NewDeserializer(reg).Deserialize(t.Context(), b, &got); err != nil || got != want {
			t.Errorf("decoded %+v, %v; want %+v", got, err, want)
		}
	})
	t.Run("SerdeToConfluent", func(t *testing.T) {
		// Our serializer writes with the schema Confluent registered, and
		// registering that text itself under another subject.
		for _, tc := range []struct {
			name  string
			topic string
			ser   func() (*serde.Serializer, error)
		}{
			{"LatestOfConfluentSubject", "orders", func() (*serde.Serializer, error) {
				return serde.NewSerializer(reg, client.Schema{}, serde.UseLatest())
			}},
			{"AutoRegisteredUnderAnotherSubject", "orders-ours", func() (*serde.Serializer, error) {
				sv, err := reg.SchemaByVersion(t.Context(), "orders-value", client.Latest)
				if err != nil {
					return nil, err
				}
				return serde.NewSerializer(reg, client.Schema{Schema: sv.Schema.Schema}, serde.AutoRegister())
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ser, err := tc.ser()
				if err != nil {
					t.Fatal(err)
				}
				b, err := ser.Serialize(t.Context(), tc.topic, &want)
				if err != nil {
					t.Fatal(err)
				}
				var got order
				if err := cde.DeserializeInto(tc.topic, b, &got); err != nil || got != want {
					t.Errorf("Confluent decoded %+v, %v; want %+v", got, err, want)
				}
			})
		}
	})
}
