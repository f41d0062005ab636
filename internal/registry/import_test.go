package registry_test

import (
	"context"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// lenientDecimal is a schema Avro Java (and so Confluent) accepts, with
// the invalid decimal ignored, and this registry's validation refuses.
const lenientDecimal = "{\n  \"type\": \"record\", \"name\": \"Price\",\n  \"fields\": [{\"name\": \"amount\", \"type\": {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 2, \"scale\": 4}}]\n}"

// TestImportKeepsWhatAnotherRegistryAccepted covers the raw import path:
// IMPORT stores a schema that only the lenient parse accepts, byte for
// byte with its id, lookups and re-registrations find it, and outside
// IMPORT the same text is still refused.
func TestImportKeepsWhatAnotherRegistryAccepted(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		in := registry.SchemaInput{Format: schema.Avro, Text: lenientDecimal}

		_, err := svc.Register(ctx, registry.RegisterParams{Subject: "refused", Schema: in})
		wantCode(t, err, srapi.CodeInvalidSchema)

		if _, err := svc.SetMode(ctx, registry.GlobalSubject, registry.Import, true); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Register(ctx, registry.RegisterParams{Subject: "prices", Schema: in, ID: 42, Version: 3})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if v.SchemaID != 42 || v.Version != 3 || v.Schema.Text != lenientDecimal {
			t.Fatalf("imported id %d version %d text %q, want 42, 3 and the text as sent", v.SchemaID, v.Version, v.Schema.Text)
		}
		if _, err := svc.SetMode(ctx, registry.GlobalSubject, registry.ReadWrite, false); err != nil {
			t.Fatal(err)
		}

		got, err := svc.SchemaByID(ctx, "", 42)
		if err != nil || got.Text != lenientDecimal {
			t.Fatalf("by id: %v %+v", err, got)
		}
		found, err := svc.Lookup(ctx, registry.LookupParams{Subject: "prices", Schema: in})
		if err != nil || found.Version != 3 {
			t.Fatalf("lookup: %v %+v", err, found)
		}
		again, err := svc.Register(ctx, registry.RegisterParams{Subject: "prices", Schema: in})
		if err != nil || again.SchemaID != 42 || again.Version != 3 {
			t.Fatalf("re-registration: %v %+v", err, again)
		}
		_, err = svc.Lookup(ctx, registry.LookupParams{Subject: "prices", Schema: registry.SchemaInput{
			Format: schema.Avro, Text: `{"type":"bytes","logicalType":"decimal","precision":1,"scale":9}`,
		}})
		wantCode(t, err, srapi.CodeInvalidSchema)
		// A later version is checked against the imported one, which
		// parses as Avro Java reads it: bytes without a logical type.
		next := registry.SchemaInput{Format: schema.Avro, Text: `{"type":"record","name":"Price","fields":[{"name":"amount","type":"bytes"},{"name":"note","type":"string","default":""}]}`}
		v4, err := svc.Register(ctx, registry.RegisterParams{Subject: "prices", Schema: next})
		if err != nil || v4.Version != 4 {
			t.Fatalf("next version: %v %+v", err, v4)
		}
	})
}

// TestImportStoresTextAsSent: a valid schema imported with its source's
// formatting is answered with that formatting, and the same schema
// written otherwise still gets the same id.
func TestImportStoresTextAsSent(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		pretty := "{\n  \"type\": \"record\",\n  \"name\": \"Order\",\n  \"fields\": [ {\"name\": \"id\", \"type\": \"long\"} ]\n}"
		if _, err := svc.SetMode(ctx, registry.GlobalSubject, registry.Import, true); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: registry.SchemaInput{Format: schema.Avro, Text: pretty}, ID: 7, Version: 1})
		if err != nil || v.Schema.Text != pretty {
			t.Fatalf("import: %v %+v", err, v)
		}
		if _, err := svc.SetMode(ctx, registry.GlobalSubject, registry.ReadWrite, false); err != nil {
			t.Fatal(err)
		}
		compact := register(t, svc, "orders-copy", registry.SchemaInput{Format: schema.Avro, Text: `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}`})
		if compact.SchemaID != 7 {
			t.Fatalf("the same schema got id %d, want 7", compact.SchemaID)
		}
	})
}

// TestImportKeepsProtobufAndJSONOthersAccept is the raw import path for
// Protobuf and JSON Schema: a text that its compiler or meta-schema
// accepts and only this registry's own marker checks refuse (a malformed
// deprecation tag) is refused outside IMPORT, stored byte for byte by
// IMPORT, and found by lookups and re-registrations.
func TestImportKeepsProtobufAndJSONOthersAccept(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		format schema.Format
		text   string
	}{
		{"ProtobufMalformedSunset", schema.Protobuf, "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {\n  // @sunset next spring\n  string note = 1 [deprecated = true];\n}\n"},
		{"JSONDeprecationNotAnObject", schema.JSON, `{"type":"object","properties":{"note":{"type":"string","deprecated":true,"x-deprecation":"soon"}}}`},
		{"JSONDeprecationWithoutFlag", schema.JSON, `{"type":"object","properties":{"note":{"type":"string","x-deprecation":{"reason":"unused"}}}}`},
	}
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		for i, tt := range tests {
			in := registry.SchemaInput{Format: tt.format, Text: tt.text}
			subject := "imported-" + tt.name
			_, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in})
			wantCode(t, err, srapi.CodeInvalidSchema)

			if _, err := svc.SetMode(ctx, subject, registry.Import, true); err != nil {
				t.Fatal(err)
			}
			id := 100 + i
			v, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in, ID: id, Version: 2})
			if err != nil {
				t.Fatalf("%s: import: %v", tt.name, err)
			}
			if v.SchemaID != id || v.Version != 2 || v.Schema.Text != tt.text {
				t.Fatalf("%s: imported id %d version %d text %q, want %d, 2 and the text as sent", tt.name, v.SchemaID, v.Version, v.Schema.Text, id)
			}
			// A re-run import answers the same version.
			if again, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in, ID: id, Version: 2}); err != nil || again.SchemaID != id {
				t.Fatalf("%s: import again: %v %+v", tt.name, err, again)
			}
			if _, err := svc.DeleteMode(ctx, subject); err != nil {
				t.Fatal(err)
			}
			found, err := svc.Lookup(ctx, registry.LookupParams{Subject: subject, Schema: in})
			if err != nil || found.Version != 2 {
				t.Fatalf("%s: lookup: %v %+v", tt.name, err, found)
			}
			again, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in})
			if err != nil || again.SchemaID != id || again.Version != 2 {
				t.Fatalf("%s: re-registration: %v %+v", tt.name, err, again)
			}
		}
	})
}
