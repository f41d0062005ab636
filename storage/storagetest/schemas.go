package storagetest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

func testSchemaInsertGet(t *testing.T, s registry.Store) {
	ctx := t.Context()
	want := registry.Schema{
		Format: schema.Protobuf,
		Text:   `syntax = "proto3"; message A { B b = 1; C c = 2; }`,
		// Out of name order: references keep the order they were given in.
		References: []schema.Reference{
			{Name: "c.proto", Subject: "c-value", Version: 3},
			{Name: "b.proto", Subject: "b-value", Version: 1},
		},
		// Whitespace and key order are kept byte for byte.
		Metadata:    json.RawMessage(`{"properties": {"owner":  "team-a", "a": 1}}`),
		RuleSet:     json.RawMessage(`{"domainRules":[ ]}`),
		Fingerprint: "fp:proto-a",
	}
	got, err := s.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: want})
	mustOK(t, "SchemaInsert", err)
	if got.ID <= 0 {
		t.Fatalf("SchemaInsert assigned id %d, want > 0", got.ID)
	}
	// An insert without a context is the default context's.
	want.ID, want.Context = got.ID, dc
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("SchemaInsert returned\n%+v\nwant\n%+v", *got, want)
	}

	byID, err := s.SchemaGetByID(ctx, dc, want.ID)
	mustOK(t, "SchemaGetByID", err)
	if !reflect.DeepEqual(*byID, want) {
		t.Errorf("SchemaGetByID = \n%+v\nwant\n%+v", *byID, want)
	}
	// A schema row no version uses is not reachable by id.
	_, err = s.SchemaGetUsed(ctx, dc, want.ID)
	wantErr(t, "SchemaGetUsed of a schema without versions", err, registry.ErrNotFound)
	byFP, err := s.SchemaGetByFingerprint(ctx, want.Fingerprint)
	mustOK(t, "SchemaGetByFingerprint", err)
	if !reflect.DeepEqual(*byFP, want) {
		t.Errorf("SchemaGetByFingerprint = \n%+v\nwant\n%+v", *byFP, want)
	}

	plain := insertSchema(t, s, `"string"`)
	if plain.ID <= want.ID {
		t.Errorf("second id %d not above first %d", plain.ID, want.ID)
	}
	got, err = s.SchemaGetByID(ctx, dc, plain.ID)
	mustOK(t, "SchemaGetByID", err)
	if got.References != nil || got.Metadata != nil || got.RuleSet != nil {
		t.Errorf("schema without references or metadata came back with refs=%v metadata=%q ruleset=%q",
			got.References, got.Metadata, got.RuleSet)
	}
	maxID, err := s.SchemaMaxID(ctx, dc)
	mustOK(t, "SchemaMaxID", err)
	if maxID != plain.ID {
		t.Errorf("SchemaMaxID = %d, want %d", maxID, plain.ID)
	}
}

func testSchemaMissing(t *testing.T, s registry.Store) {
	ctx := t.Context()
	maxID, err := s.SchemaMaxID(ctx, dc)
	mustOK(t, "SchemaMaxID", err)
	if maxID != 0 {
		t.Errorf("SchemaMaxID of an empty store = %d, want 0", maxID)
	}
	_, err = s.SchemaGetByID(ctx, dc, 42)
	wantErr(t, "SchemaGetByID(42)", err, registry.ErrNotFound)
	_, err = s.SchemaGetUsed(ctx, dc, 42)
	wantErr(t, "SchemaGetUsed(42)", err, registry.ErrNotFound)
	_, err = s.SchemaGetByFingerprint(ctx, "fp:nothing")
	wantErr(t, "SchemaGetByFingerprint", err, registry.ErrNotFound)
}

func testSchemaConflict(t *testing.T, s registry.Store) {
	ctx := t.Context()
	first := insertSchema(t, s, `"int"`)

	_, err := s.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
		Format: schema.Avro, Text: ` "int" `, Fingerprint: first.Fingerprint,
	}})
	wantErr(t, "SchemaInsert with a taken fingerprint", err, registry.ErrConflict)

	_, err = s.SchemaInsert(ctx, registry.SchemaInsertParams{ID: first.ID, Schema: registry.Schema{
		Format: schema.Avro, Text: `"long"`, Fingerprint: fingerprint(`"long"`),
	}})
	wantErr(t, "SchemaInsert with a taken id", err, registry.ErrConflict)

	// The failed inserts left nothing behind.
	_, err = s.SchemaGetByFingerprint(ctx, fingerprint(`"long"`))
	wantErr(t, "SchemaGetByFingerprint after a conflict", err, registry.ErrNotFound)
}

func testSchemaExplicitID(t *testing.T, s registry.Store) {
	ctx := t.Context()
	auto := insertSchema(t, s, `"a"`)

	imported, err := s.SchemaInsert(ctx, registry.SchemaInsertParams{ID: auto.ID + 100, Schema: registry.Schema{
		Format: schema.Avro, Text: `"b"`, Fingerprint: fingerprint(`"b"`),
	}})
	mustOK(t, "SchemaInsert with explicit id", err)
	if imported.ID != auto.ID+100 {
		t.Fatalf("explicit id: got %d, want %d", imported.ID, auto.ID+100)
	}
	// An explicit id below the sequence is fine and does not move it back.
	low, err := s.SchemaInsert(ctx, registry.SchemaInsertParams{ID: auto.ID + 50, Schema: registry.Schema{
		Format: schema.Avro, Text: `"c"`, Fingerprint: fingerprint(`"c"`),
	}})
	mustOK(t, "SchemaInsert with a lower explicit id", err)
	if low.ID != auto.ID+50 {
		t.Fatalf("explicit id: got %d, want %d", low.ID, auto.ID+50)
	}

	next := insertSchema(t, s, `"d"`)
	if next.ID <= imported.ID {
		t.Errorf("id assigned after an import = %d, want > %d", next.ID, imported.ID)
	}
	// Inside a transaction too.
	err = s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		if _, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{ID: next.ID + 1000, Schema: registry.Schema{
			Format: schema.Avro, Text: `"e"`, Fingerprint: fingerprint(`"e"`),
		}}); err != nil {
			return err
		}
		after := insertSchema(t, tx, `"f"`)
		if after.ID <= next.ID+1000 {
			t.Errorf("id assigned after an import in the same transaction = %d, want > %d", after.ID, next.ID+1000)
		}
		return nil
	})
	mustOK(t, "InTx", err)
	maxID, err := s.SchemaMaxID(ctx, dc)
	mustOK(t, "SchemaMaxID", err)
	if maxID <= next.ID+1000 {
		t.Errorf("SchemaMaxID = %d, want > %d", maxID, next.ID+1000)
	}
}
