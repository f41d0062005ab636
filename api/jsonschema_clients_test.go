package api_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/rest"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde/jsonschema"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestConfluentJSONSchemaSerde round-trips a Go struct through Confluent's
// JSON Schema serializer and deserializer: the serializer reflects a draft
// 2020-12 schema from the struct and registers it, the deserializer fetches
// it by id and validates the payload against it. A later struct that drops
// a property from the closed content model must be refused.
func TestConfluentJSONSchemaSerde(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		cl := confluentClient(t, s.URL)
		const topic = "orders"

		type Address struct {
			Street string `json:"street"`
			Zip    string `json:"zip,omitempty"`
		}
		type Order struct {
			ID       string            `json:"id"`
			Quantity int               `json:"quantity"`
			Price    float64           `json:"price"`
			Tags     []string          `json:"tags"`
			Ship     Address           `json:"ship"`
			Notes    map[string]string `json:"notes,omitempty"`
		}

		serConf := jsonschema.NewSerializerConfig()
		serConf.EnableValidation = true
		ser, err := jsonschema.NewSerializer(cl, serde.ValueSerde, serConf)
		if err != nil {
			t.Fatal(err)
		}
		// The deserializer's own validation hands the decoded Go pointer to
		// its validator, which accepts only plain JSON values, so it stays
		// off; the serializer validates against the registered schema.
		deConf := jsonschema.NewDeserializerConfig()
		// A second client without the serializer's cache, so that the
		// deserializer really reads the schema back from the registry.
		cl2 := confluentClient(t, s.URL)
		de, err := jsonschema.NewDeserializer(cl2, serde.ValueSerde, deConf)
		if err != nil {
			t.Fatal(err)
		}

		in := Order{ID: "o-1", Quantity: 3, Price: 9.5, Tags: []string{"a", "b"},
			Ship: Address{Street: "Main St 1", Zip: "12345"}, Notes: map[string]string{"gift": "yes"}}
		payload, err := ser.Serialize(topic, &in)
		if err != nil {
			t.Fatalf("serialize: %v", err)
		}
		var out Order
		if err := de.DeserializeInto(topic, payload, &out); err != nil {
			t.Fatalf("deserialize: %v", err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("round trip = %+v, want %+v", out, in)
		}

		// The registry holds what the serializer registered, as JSON.
		latest, err := cl2.GetLatestSchemaMetadata(topic + "-value")
		if err != nil {
			t.Fatalf("GetLatestSchemaMetadata: %v", err)
		}
		if latest.Version != 1 || latest.SchemaType != "JSON" || !strings.Contains(latest.Schema, `"quantity"`) {
			t.Fatalf("registered schema = %+v, want version 1 of a JSON schema with the struct's properties", latest)
		}
		// Serializing again reuses the registered schema: still one version.
		if _, err := ser.Serialize(topic, &in); err != nil {
			t.Fatalf("serialize again: %v", err)
		}
		if vs, err := cl2.GetAllVersions(topic + "-value"); err != nil || len(vs) != 1 {
			t.Fatalf("versions after a second message = %v, %v; want [1]", vs, err)
		}

		// The reflected schema is closed (additionalProperties false), so
		// a struct without "price" is a BACKWARD-incompatible change.
		{
			type Order struct {
				ID       string   `json:"id"`
				Quantity int      `json:"quantity"`
				Tags     []string `json:"tags"`
			}
			ser2, err := jsonschema.NewSerializer(cl2, serde.ValueSerde, jsonschema.NewSerializerConfig())
			if err != nil {
				t.Fatal(err)
			}
			_, err = ser2.Serialize(topic, &Order{ID: "o-2"})
			var re *rest.Error
			if !errors.As(err, &re) || re.Code != 409 {
				t.Fatalf("serialize an incompatible struct: %v, want a 409 rest.Error", err)
			}
		}
		if vs, err := cl2.GetAllVersions(topic + "-value"); err != nil || len(vs) != 1 {
			t.Fatalf("versions after the refused schema = %v, %v; want [1]", vs, err)
		}
	})
}

const (
	jsonCustomer = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"}},"required":["id"],"additionalProperties":false}`
	// jsonCustomerURL is both the "$ref" in jsonOrder and the name of the
	// reference that binds it to the customer subject.
	jsonCustomerURL = "https://schemata.example/customer.schema.json"
	jsonOrder       = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"id":{"type":"string"},"customer":{"$ref":"` + jsonCustomerURL + `"}},"required":["id","customer"],"additionalProperties":false}`
	// jsonOrderWithoutCustomer drops a property from the closed content
	// model: BACKWARD-incompatible.
	jsonOrderWithoutCustomer = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}`
	// jsonOrderDescribed only documents a property: compatible in both
	// directions, as the default additive-only policy requires (adding a
	// property to a closed content model is not: old readers refuse it).
	jsonOrderDescribed = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"id":{"type":"string","description":"order number"},"customer":{"$ref":"` + jsonCustomerURL + `"}},"required":["id","customer"],"additionalProperties":false}`
)

// TestFranzJSONSchemaReferences registers, with franz-go's client, a JSON
// Schema that "$ref"s another subject through a reference named by the
// URL, reads it back by id and by version with its references, lists the
// referencing schemas, and checks compatibility of JSON Schemas.
func TestFranzJSONSchemaReferences(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		cl := franzClient(t, s.URL)
		ctx := context.Background()

		customer, err := cl.CreateSchema(ctx, "customer-value", sr.Schema{Schema: jsonCustomer, Type: sr.TypeJSON})
		if err != nil {
			t.Fatalf("create customer: %v", err)
		}
		if customer.Type != sr.TypeJSON || customer.Version != 1 || customer.Schema.Schema != jsonCustomer {
			t.Fatalf("created customer = %+v", customer)
		}
		refs := []sr.SchemaReference{{Name: jsonCustomerURL, Subject: "customer-value", Version: customer.Version}}
		order, err := cl.CreateSchema(ctx, "order-value", sr.Schema{Schema: jsonOrder, Type: sr.TypeJSON, References: refs})
		if err != nil {
			t.Fatalf("create order: %v", err)
		}
		if order.Type != sr.TypeJSON || order.Version != 1 || order.ID == customer.ID || !reflect.DeepEqual(order.References, refs) {
			t.Fatalf("created order = %+v", order)
		}

		// Without the reference the "$ref" resolves nowhere: 42201.
		_, err = cl.CreateSchema(ctx, "dangling-value", sr.Schema{Schema: jsonOrder, Type: sr.TypeJSON})
		var re *sr.ResponseError
		if !errors.As(err, &re) || re.ErrorCode != 42201 {
			t.Fatalf("create without the reference: %v, want 42201", err)
		}

		byID, err := cl.SchemaByID(ctx, order.ID)
		if err != nil || byID.Schema != jsonOrder || byID.Type != sr.TypeJSON || !reflect.DeepEqual(byID.References, refs) {
			t.Fatalf("SchemaByID = %+v, %v", byID, err)
		}
		byVersion, err := cl.SchemaByVersion(ctx, "order-value", 1)
		if err != nil || byVersion.ID != order.ID || byVersion.Subject != "order-value" || byVersion.Type != sr.TypeJSON ||
			!reflect.DeepEqual(byVersion.References, refs) {
			t.Fatalf("SchemaByVersion = %+v, %v", byVersion, err)
		}
		latest, err := cl.SchemaByVersion(ctx, "order-value", -1)
		if err != nil || latest.ID != order.ID {
			t.Fatalf("SchemaByVersion(latest) = %+v, %v", latest, err)
		}
		looked, err := cl.LookupSchema(ctx, "order-value", sr.Schema{Schema: jsonOrder, Type: sr.TypeJSON, References: refs})
		if err != nil || looked.ID != order.ID || looked.Version != 1 {
			t.Fatalf("LookupSchema = %+v, %v", looked, err)
		}

		// referencedby: the customer version is used by the order.
		users, err := cl.SchemaReferences(ctx, "customer-value", 1)
		if err != nil || len(users) != 1 || users[0].Subject != "order-value" || users[0].Version != 1 || users[0].ID != order.ID ||
			users[0].Type != sr.TypeJSON {
			t.Fatalf("SchemaReferences = %+v, %v", users, err)
		}
		if users, err := cl.SchemaReferences(ctx, "order-value", 1); err != nil || len(users) != 0 {
			t.Fatalf("SchemaReferences of an unreferenced version = %+v, %v", users, err)
		}
		err = cl.DeleteSchema(ctx, "customer-value", 1, sr.SoftDelete)
		if !errors.As(err, &re) || re.ErrorCode != 42206 {
			t.Fatalf("delete a referenced version: %v, want 42206", err)
		}

		// Compatibility checks against the latest version.
		for _, tc := range []struct {
			name   string
			schema string
			want   bool
		}{
			{"DocumentingAPropertyIsCompatible", jsonOrderDescribed, true},
			{"RemovingAPropertyFromAClosedModelIsNot", jsonOrderWithoutCustomer, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := cl.CheckCompatibility(sr.WithParams(ctx, sr.Verbose), "order-value", -1,
					sr.Schema{Schema: tc.schema, Type: sr.TypeJSON, References: refs})
				if err != nil || res.Is != tc.want {
					t.Fatalf("CheckCompatibility = %+v, %v; want is_compatible %v", res, err, tc.want)
				}
				if !tc.want && !strings.Contains(strings.Join(res.Messages, "\n"), "JSON_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL") {
					t.Fatalf("messages %q do not name the rule that refused the change", res.Messages)
				}
			})
		}
		_, err = cl.CreateSchema(ctx, "order-value", sr.Schema{Schema: jsonOrderWithoutCustomer, Type: sr.TypeJSON})
		if !errors.As(err, &re) || re.ErrorCode != 409 {
			t.Fatalf("register the incompatible version: %v, want 409", err)
		}
		v2, err := cl.CreateSchema(ctx, "order-value", sr.Schema{Schema: jsonOrderDescribed, Type: sr.TypeJSON, References: refs})
		if err != nil || v2.Version != 2 {
			t.Fatalf("register the compatible version: %+v, %v", v2, err)
		}
		if users, err := cl.SchemaReferences(ctx, "customer-value", 1); err != nil || len(users) != 2 {
			t.Fatalf("SchemaReferences after version 2 = %+v, %v; want both order versions", users, err)
		}
	})
}
