package api_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/rest"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestConfluentClient drives the registry with Confluent's own Go client.
func TestConfluentClient(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		cl := confluentClient(t, s.URL)
		const subject = "orders-value"
		v1 := schemaregistry.SchemaInfo{Schema: avroOrderV1}
		v2 := schemaregistry.SchemaInfo{Schema: avroOrderV2}

		// Register, and re-register for the same id.
		id1, err := cl.Register(subject, v1, false)
		if err != nil {
			t.Fatalf("register: %v", err)
		}
		full, err := cl.RegisterFullResponse(subject, v1, false)
		if err != nil || full.ID != id1 {
			t.Fatalf("re-register: id %d, err %v; want id %d", full.ID, err, id1)
		}
		cl2 := confluentClient(t, s.URL) // no client-side cache
		defer cl2.Close()
		if again, err := cl2.Register(subject, v1, false); err != nil || again != id1 {
			t.Fatalf("re-register from a fresh client: id %d, err %v; want %d", again, err, id1)
		}

		// Lookups.
		// Confluent 8 names the type of every schema, Avro included.
		info, err := cl2.GetBySubjectAndID(subject, id1)
		if err != nil || info.Schema != avroOrderV1 || info.SchemaType != "AVRO" {
			t.Fatalf("GetBySubjectAndID: %+v, %v", info, err)
		}
		if id, err := cl2.GetID(subject, v1, false); err != nil || id != id1 {
			t.Fatalf("GetID: %d, %v", id, err)
		}
		if v, err := cl2.GetVersion(subject, v1, false); err != nil || v != 1 {
			t.Fatalf("GetVersion: %d, %v", v, err)
		}

		// Compatibility, then a second version.
		if ok, err := cl2.TestCompatibility(subject, -1, v2); err != nil || !ok {
			t.Fatalf("TestCompatibility: %v, %v", ok, err)
		}
		if ok, err := cl2.TestSubjectCompatibility(subject, v2); err != nil || !ok {
			t.Fatalf("TestSubjectCompatibility: %v, %v", ok, err)
		}
		id2, err := cl2.Register(subject, v2, false)
		if err != nil || id2 == id1 {
			t.Fatalf("register v2: id %d, err %v", id2, err)
		}
		latest, err := cl2.GetLatestSchemaMetadata(subject)
		if err != nil || latest.Version != 2 || latest.ID != id2 || latest.Subject != subject || latest.Schema != avroOrderV2 {
			t.Fatalf("GetLatestSchemaMetadata: %+v, %v", latest, err)
		}
		md, err := cl2.GetSchemaMetadata(subject, 1)
		if err != nil || md.ID != id1 {
			t.Fatalf("GetSchemaMetadata: %+v, %v", md, err)
		}
		versions, err := cl2.GetAllVersions(subject)
		if err != nil || !slices.Equal(versions, []int{1, 2}) {
			t.Fatalf("GetAllVersions: %v, %v", versions, err)
		}
		subjects, err := cl2.GetAllSubjects()
		if err != nil || !slices.Equal(subjects, []string{subject}) {
			t.Fatalf("GetAllSubjects: %v, %v", subjects, err)
		}
		svs, err := cl2.GetSubjectsAndVersionsByID(id2)
		if err != nil || len(svs) != 1 || svs[0].Subject != subject || svs[0].Version != 2 {
			t.Fatalf("GetSubjectsAndVersionsByID: %+v, %v", svs, err)
		}
		contexts, err := cl2.GetAllContexts()
		if err != nil || !slices.Equal(contexts, []string{"."}) {
			t.Fatalf("GetAllContexts: %v, %v", contexts, err)
		}

		// Config.
		if level, err := cl2.GetDefaultCompatibility(); err != nil || level != schemaregistry.Backward {
			t.Fatalf("GetDefaultCompatibility: %v, %v", level, err)
		}
		if level, err := cl2.UpdateCompatibility(subject, schemaregistry.Full); err != nil || level != schemaregistry.Full {
			t.Fatalf("UpdateCompatibility: %v, %v", level, err)
		}
		if level, err := cl2.GetCompatibility(subject); err != nil || level != schemaregistry.Full {
			t.Fatalf("GetCompatibility: %v, %v", level, err)
		}
		if cfg, err := cl2.GetConfig(subject, true); err != nil || cfg.CompatibilityLevel != schemaregistry.Full {
			t.Fatalf("GetConfig: %+v, %v", cfg, err)
		}
		if level, err := cl2.UpdateDefaultCompatibility(schemaregistry.BackwardTransitive); err != nil || level != schemaregistry.BackwardTransitive {
			t.Fatalf("UpdateDefaultCompatibility: %v, %v", level, err)
		}

		// Errors come back as rest.Error with Confluent's codes.
		_, err = cl2.GetSchemaMetadata("missing-value", 1)
		assertRestCode(t, err, 40401)
		_, err = cl2.GetBySubjectAndID("", 999)
		assertRestCode(t, err, 40403)
		_, err = cl2.Register("orders-value", schemaregistry.SchemaInfo{Schema: `{"type":`}, false)
		assertRestCode(t, err, 42201)

		// Soft, then permanent delete.
		if v, err := cl2.DeleteSubjectVersion(subject, 1, false); err != nil || v != 1 {
			t.Fatalf("DeleteSubjectVersion: %v, %v", v, err)
		}
		if deleted, err := cl2.DeleteSubject(subject, false); err != nil || !slices.Equal(deleted, []int{2}) {
			t.Fatalf("DeleteSubject: %v, %v", deleted, err)
		}
		_, err = cl2.DeleteSubject(subject, false)
		assertRestCode(t, err, 40404)
		if deleted, err := cl2.DeleteSubject(subject, true); err != nil || !slices.Equal(deleted, []int{1, 2}) {
			t.Fatalf("permanent DeleteSubject: %v, %v", deleted, err)
		}
		subjects, err = cl2.GetAllSubjects()
		if err != nil || len(subjects) != 0 {
			t.Fatalf("subjects after delete: %v, %v", subjects, err)
		}
	})
}

func assertRestCode(t *testing.T, err error, code int) {
	t.Helper()
	var re *rest.Error
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want *rest.Error with code %d", err, err, code)
	}
	if re.Code != code {
		t.Fatalf("error code %d (%s), want %d", re.Code, re.Message, code)
	}
}

// TestFranzClient drives the registry with franz-go's client, including
// Protobuf references and modes.
func TestFranzClient(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		cl := franzClient(t, s.URL)
		ctx := context.Background()

		types, err := cl.SupportedTypes(ctx)
		if err != nil || !slices.Equal(types, []sr.SchemaType{sr.TypeAvro, sr.TypeProtobuf, sr.TypeJSON}) {
			t.Fatalf("SupportedTypes: %v, %v", types, err)
		}

		// Protobuf with a reference.
		common, err := cl.CreateSchema(ctx, "common-value", sr.Schema{Schema: protoCommon, Type: sr.TypeProtobuf})
		if err != nil {
			t.Fatalf("create common: %v", err)
		}
		order, err := cl.CreateSchema(ctx, "order-value", sr.Schema{
			Schema:     protoOrder,
			Type:       sr.TypeProtobuf,
			References: []sr.SchemaReference{{Name: "common.proto", Subject: "common-value", Version: common.Version}},
		})
		if err != nil {
			t.Fatalf("create order: %v", err)
		}
		if order.Version != 1 || len(order.References) != 1 || order.Type != sr.TypeProtobuf {
			t.Fatalf("created order %+v", order)
		}
		again, err := cl.RegisterSchema(ctx, "order-value", order.Schema, -1, -1)
		if err != nil || again != order.ID {
			t.Fatalf("re-register: %d, %v; want %d", again, err, order.ID)
		}
		byID, err := cl.SchemaByID(ctx, order.ID)
		if err != nil || byID.Schema != protoOrder || byID.Type != sr.TypeProtobuf || len(byID.References) != 1 {
			t.Fatalf("SchemaByID: %+v, %v", byID, err)
		}
		text, err := cl.SchemaTextByID(ctx, common.ID)
		if err != nil || text != protoCommon {
			t.Fatalf("SchemaTextByID: %q, %v", text, err)
		}
		refs, err := cl.SchemaReferences(ctx, "common-value", 1)
		if err != nil || len(refs) != 1 || refs[0].Subject != "order-value" || refs[0].ID != order.ID {
			t.Fatalf("SchemaReferences: %+v, %v", refs, err)
		}
		looked, err := cl.LookupSchema(ctx, "order-value", order.Schema)
		if err != nil || looked.ID != order.ID || looked.Version != 1 {
			t.Fatalf("LookupSchema: %+v, %v", looked, err)
		}
		usages, err := cl.SchemaUsagesByID(ctx, order.ID)
		if err != nil || len(usages) != 1 {
			t.Fatalf("SchemaUsagesByID: %+v, %v", usages, err)
		}
		all, err := cl.AllSchemas(ctx)
		if err != nil || len(all) != 2 {
			t.Fatalf("AllSchemas: %+v, %v", all, err)
		}

		// A referenced version cannot be deleted.
		err = cl.DeleteSchema(ctx, "common-value", 1, sr.SoftDelete)
		var re *sr.ResponseError
		if !errors.As(err, &re) || re.ErrorCode != 42206 {
			t.Fatalf("delete referenced version: %v, want 42206", err)
		}

		// Compatibility with verbose messages.
		res, err := cl.CheckCompatibility(sr.WithParams(ctx, sr.Verbose), "order-value", -1, order.Schema)
		if err != nil || !res.Is {
			t.Fatalf("CheckCompatibility: %+v, %v", res, err)
		}

		// Config and mode.
		set := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatFull}, "order-value")
		if set[0].Err != nil || set[0].Level != sr.CompatFull {
			t.Fatalf("SetCompatibility: %+v", set[0])
		}
		got := cl.Compatibility(ctx, "order-value")
		if got[0].Err != nil || got[0].Level != sr.CompatFull {
			t.Fatalf("Compatibility: %+v", got[0])
		}
		if reset := cl.ResetCompatibility(ctx, "order-value"); reset[0].Err != nil {
			t.Fatalf("ResetCompatibility: %v", reset[0].Err)
		}
		modes := cl.SetMode(ctx, sr.ModeReadOnly, "order-value")
		if modes[0].Err != nil || modes[0].Mode != sr.ModeReadOnly {
			t.Fatalf("SetMode: %+v", modes[0])
		}
		if m := cl.Mode(ctx, "order-value"); m[0].Err != nil || m[0].Mode != sr.ModeReadOnly {
			t.Fatalf("Mode: %+v", m[0])
		}
		if m := cl.ResetMode(ctx, "order-value"); m[0].Err != nil || m[0].Mode != sr.ModeReadOnly {
			t.Fatalf("ResetMode: %+v", m[0])
		}
		if m := cl.Mode(ctx); m[0].Err != nil || m[0].Mode != sr.ModeReadWrite {
			t.Fatalf("global Mode: %+v", m[0])
		}

		// Soft then hard delete of the referencing subject frees the
		// referenced one.
		if _, err := cl.DeleteSubject(ctx, "order-value", sr.SoftDelete); err != nil {
			t.Fatalf("soft delete: %v", err)
		}
		if _, err := cl.DeleteSubject(ctx, "order-value", sr.HardDelete); err != nil {
			t.Fatalf("hard delete: %v", err)
		}
		if err := cl.DeleteSchema(ctx, "common-value", 1, sr.SoftDelete); err != nil {
			t.Fatalf("delete no longer referenced version: %v", err)
		}
		subjects, err := cl.Subjects(sr.WithParams(ctx, sr.ShowDeleted))
		if err != nil || !slices.Equal(subjects, []string{"common-value"}) {
			t.Fatalf("Subjects(deleted): %v, %v", subjects, err)
		}
	})
}
