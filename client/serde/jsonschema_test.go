package serde_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
)

const (
	// jsonCustomerSchema is referenced by jsonOrderSchema under a relative
	// name, as the registry's docs show.
	jsonCustomerSchema = `{"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"}},"required":["id"],"additionalProperties":false}`
	jsonOrderSchema    = `{"type":"object","properties":{"id":{"type":"string"},"quantity":{"type":"integer","minimum":1},"customer":{"$ref":"customer.json"}},"required":["id","quantity","customer"],"additionalProperties":false}`
)

// jsonOrder is a Go value of jsonOrderSchema.
type jsonOrder struct {
	ID       string `json:"id"`
	Quantity int    `json:"quantity"`
	Customer struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	} `json:"customer"`
}

// TestJSONSchemaRoundTrip serializes with the JSON Schema format through a
// real registry, with a reference to another subject, and checks that both
// sides validate: an invalid value is not written, an invalid payload is
// not read.
func TestJSONSchemaRoundTrip(t *testing.T) {
	t.Parallel()
	url := startRegistry(t)
	reg := newRegistry(t, url, serde.WithFormats(serde.JSONSchema{}))
	ctx := t.Context()
	if _, err := reg.Client().Register(ctx, "customer", client.Schema{SchemaType: client.TypeJSON, Schema: jsonCustomerSchema}, nil); err != nil {
		t.Fatal(err)
	}
	ser, err := serde.NewSerializer(reg, client.Schema{SchemaType: client.TypeJSON, Schema: jsonOrderSchema,
		References: []client.Reference{{Name: "customer.json", Subject: "customer", Version: 1}}}, serde.AutoRegister())
	if err != nil {
		t.Fatal(err)
	}
	de := serde.NewDeserializer(newRegistry(t, url, serde.WithFormats(serde.JSONSchema{})))

	var want jsonOrder
	want.ID, want.Quantity, want.Customer.ID, want.Customer.Name = "o-1", 2, "c-1", "Ada"
	b, err := ser.Serialize(ctx, "orders", &want)
	if err != nil {
		t.Fatalf("serialize: %v", err)
	}
	var got jsonOrder
	if _, err := de.Deserialize(ctx, b, &got); err != nil {
		t.Fatalf("deserialize: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip = %+v, want %+v", got, want)
	}
	generic, _, err := de.DeserializeAny(ctx, b)
	if err != nil {
		t.Fatalf("deserialize any: %v", err)
	}
	if m, ok := generic.(map[string]any); !ok || m["id"] != "o-1" {
		t.Fatalf("generic value = %#v, want the order as a map", generic)
	}

	tests := []struct {
		name  string
		value any
	}{
		{"QuantityBelowMinimum", map[string]any{"id": "o-2", "quantity": 0, "customer": map[string]any{"id": "c"}}},
		{"UndeclaredPropertyInTheReference", map[string]any{"id": "o-2", "quantity": 1, "customer": map[string]any{"id": "c", "x": 1}}},
		{"MissingRequiredProperty", map[string]any{"id": "o-2", "customer": map[string]any{"id": "c"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ser.Serialize(ctx, "orders", tc.value)
			var ve *jsonschema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("serialize = %v, want a *jsonschema.ValidationError", err)
			}
		})
	}

	// A payload written without validation is refused by the reader.
	bad := append(b[:5:5], `{"id":"o-3","quantity":-1,"customer":{"id":"c"}}`...)
	var ve *jsonschema.ValidationError
	if _, err := de.Deserialize(ctx, bad, &got); !errors.As(err, &ve) {
		t.Fatalf("deserialize an invalid payload = %v, want a *jsonschema.ValidationError", err)
	}
}

// FuzzJSONSchemaDecode feeds arbitrary payloads to a compiled schema with a
// reference: decoding never panics, and whatever it accepts encodes again
// and is accepted again.
func FuzzJSONSchemaDecode(f *testing.F) {
	p, err := serde.JSONSchema{}.Parse(client.Schema{SchemaType: client.TypeJSON, Schema: jsonOrderSchema},
		[]serde.Dependency{{Name: "customer.json", Schema: client.Schema{SchemaType: client.TypeJSON, Schema: jsonCustomerSchema}}})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"id":"o","quantity":1,"customer":{"id":"c"}}`,
		`{"id":"o","quantity":0,"customer":{"id":"c"}}`,
		`{"id":"o","quantity":1e400,"customer":{"id":"c","name":"\u00e9"}}`,
		`[`, `null`, `"x"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		v, err := p.DecodeAny(payload)
		if err != nil {
			return
		}
		b, err := p.AppendEncode(nil, v)
		if err != nil {
			t.Fatalf("re-encoding an accepted payload %q: %v", payload, err)
		}
		if _, err := p.DecodeAny(b); err != nil {
			t.Fatalf("decoding the re-encoding %q of %q: %v", b, payload, err)
		}
	})
}
