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
