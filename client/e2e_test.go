package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

const (
	orderV1 = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}`
	// orderV2 adds a field with a default: compatible.
	orderV2 = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}`
	// orderBad adds a field without a default: incompatible.
	orderBad = `{"type":"record","name":"Order","fields":[
  {"name":"id","type":"string"},
  {"name":"price","type":"double"}]}`
	common  = "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 units = 1; }\n"
	payment = "syntax = \"proto3\";\npackage shop;\nimport \"common.proto\";\nmessage Payment { Money amount = 1; }\n"
)

// startRegistry starts a real registry for the test and returns a client
// of it.
func startRegistry(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(servertest.Start(t).URL())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAgainstRealRegistry walks the client through a registry's life:
// register, look up, check, configure, reference, delete.
func TestAgainstRealRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startRegistry(t)

	reg, err := c.Register(ctx, "orders", client.Schema{Schema: orderV1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Register(ctx, "orders", client.Schema{Schema: orderV1}, nil)
	if err != nil || again.ID != reg.ID {
		t.Fatalf("re-register = %+v, %v; want id %d", again, err, reg.ID)
	}
	got, err := c.Lookup(ctx, "orders", client.Schema{Schema: orderV1}, nil)
	if err != nil || got.Version != 1 || got.ID != reg.ID || got.Subject != "orders" {
		t.Fatalf("lookup = %+v, %v", got, err)
	}
	if _, err := c.Lookup(ctx, "orders", client.Schema{Schema: orderV2}, nil); !errors.Is(err, srapi.ErrSchemaNotFound) {
		t.Errorf("lookup of an unregistered schema: %v, want ErrSchemaNotFound", err)
	}
	byID, err := c.SchemaByID(ctx, reg.ID)
	if err != nil || byID.Type() != client.TypeAvro || byID.Schema == "" {
		t.Fatalf("schema by id = %+v, %v", byID, err)
	}

	res, err := c.CheckCompatibility(ctx, "orders", 0, client.Schema{Schema: orderBad}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsCompatible || len(res.Findings) == 0 || len(res.Messages) == 0 {
		t.Fatalf("incompatible check = %+v", res)
	}
	if f := res.Findings[0]; f.RuleID == "" || f.Version != 1 || f.New == nil || f.New.Line != 3 {
		t.Errorf("finding = %+v (new %+v), want a rule, version 1 and line 3", f, f.New)
	}
	if _, err := c.Register(ctx, "orders", client.Schema{Schema: orderBad}, nil); !errors.Is(err, srapi.ErrIncompatibleSchema) {
		t.Errorf("registering an incompatible schema: %v", err)
	}
	if res, err := c.CheckCompatibility(ctx, "orders", client.Latest, client.Schema{Schema: orderV2}, nil); err != nil || !res.IsCompatible {
		t.Errorf("compatible check = %+v, %v", res, err)
	}
	if _, err := c.Register(ctx, "orders", client.Schema{Schema: orderV2}, nil); err != nil {
		t.Fatal(err)
	}
	if vs, err := c.Versions(ctx, "orders", nil); err != nil || !slices.Equal(vs, []int{1, 2}) {
		t.Errorf("versions = %v, %v", vs, err)
	}
	if latest, err := c.Version(ctx, "orders", client.Latest, nil); err != nil || latest.Version != 2 {
		t.Errorf("latest = %+v, %v", latest, err)
	}

	// Config with the extension fields.
	off := false
	if _, err := c.SetConfig(ctx, "orders", client.ConfigUpdate{Compatibility: "FULL", AdditiveOnly: &off}); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.Config(ctx, "orders", &client.ConfigOptions{DefaultToGlobal: true})
	if err != nil || cfg.CompatibilityLevel != "FULL" || cfg.AdditiveOnly == nil || *cfg.AdditiveOnly {
		t.Errorf("config = %+v, %v", cfg, err)
	}
	if _, err := c.SetConfig(ctx, "orders", client.ConfigUpdate{Compatibility: "SIDEWAYS"}); !errors.Is(err, srapi.ErrInvalidCompatibilityLevel) {
		t.Errorf("invalid level: %v", err)
	}

	// Modes.
	if m, err := c.SetMode(ctx, "orders", client.ModeReadOnly, nil); err != nil || m != client.ModeReadOnly {
		t.Errorf("set mode = %q, %v", m, err)
	}
	if m, err := c.Mode(ctx, "orders", nil); err != nil || m != client.ModeReadOnly {
		t.Errorf("mode = %q, %v", m, err)
	}
	if _, err := c.SetMode(ctx, "orders", client.ModeReadWrite, nil); err != nil {
		t.Fatal(err)
	}

	// Protobuf with a reference, and who references what.
	if _, err := c.Register(ctx, "common", client.Schema{Schema: common, SchemaType: client.TypeProtobuf}, nil); err != nil {
		t.Fatal(err)
	}
	pay, err := c.Register(ctx, "payments", client.Schema{
		Schema: payment, SchemaType: client.TypeProtobuf,
		References: []client.Reference{{Name: "common.proto", Subject: "common", Version: 1}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ids, err := c.ReferencedBy(ctx, "common", 1); err != nil || !slices.Equal(ids, []int{pay.ID}) {
		t.Errorf("referenced by = %v, %v; want [%d]", ids, err, pay.ID)
	}
	if _, err := c.DeleteSubject(ctx, "common", nil); !errors.Is(err, srapi.ErrReferenceExists) {
		t.Errorf("deleting a referenced subject: %v, want ErrReferenceExists", err)
	}
	subjects, err := c.Subjects(ctx, nil)
	if err != nil || !slices.Equal(subjects, []string{"common", "orders", "payments"}) {
		t.Errorf("subjects = %v, %v", subjects, err)
	}

	// Soft, then permanent deletes.
	if _, err := c.DeleteVersion(ctx, "orders", 1, &client.DeleteOptions{Permanent: true}); !errors.Is(err, srapi.ErrVersionNotSoftDeleted) {
		t.Errorf("permanent delete before soft delete: %v", err)
	}
	if v, err := c.DeleteVersion(ctx, "orders", 1, nil); err != nil || v != 1 {
		t.Errorf("soft delete = %d, %v", v, err)
	}
	if v, err := c.DeleteVersion(ctx, "orders", 1, &client.DeleteOptions{Permanent: true}); err != nil || v != 1 {
		t.Errorf("permanent delete = %d, %v", v, err)
	}
	if vs, err := c.DeleteSubject(ctx, "orders", nil); err != nil || !slices.Equal(vs, []int{2}) {
		t.Errorf("soft delete subject = %v, %v", vs, err)
	}
	if _, err := c.DeleteSubject(ctx, "orders", &client.DeleteOptions{Permanent: true}); err != nil {
		t.Errorf("permanent delete subject: %v", err)
	}
	if _, err := c.Version(ctx, "orders", client.Latest, nil); !errors.Is(err, srapi.ErrSubjectNotFound) {
		t.Errorf("get after delete: %v, want ErrSubjectNotFound", err)
	}
}

// TestDeleteContext deletes a context against a real registry: refused
// while a subject, even soft-deleted, remains, then gone from the listing.
func TestDeleteContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startRegistry(t)
	if _, err := c.Register(ctx, ":.staging:orders", client.Schema{Schema: orderV1}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, context string
		want          error
	}{
		{"a context with a live subject", ".staging", srapi.ErrOperationNotPermitted},
		{"the default context", ".", srapi.ErrOperationNotPermitted},
		{"an unknown context", ".nowhere", srapi.ErrSubjectNotFound},
		{"a malformed name", "staging", srapi.ErrInvalidSubject},
	} {
		if err := c.DeleteContext(ctx, tc.context); !errors.Is(err, tc.want) {
			t.Errorf("DeleteContext of %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := c.DeleteSubject(ctx, ":.staging:orders", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteContext(ctx, ".staging"); !errors.Is(err, srapi.ErrOperationNotPermitted) {
		t.Errorf("DeleteContext with a soft-deleted subject: %v, want 42205", err)
	}
	if _, err := c.DeleteSubject(ctx, ":.staging:orders", &client.DeleteOptions{Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteContext(ctx, ".staging"); err != nil {
		t.Fatalf("DeleteContext of an emptied context: %v", err)
	}
	if cs, err := c.Contexts(ctx); err != nil || !slices.Equal(cs, []string{"."}) {
		t.Errorf("contexts after the delete = %v, %v; want [.]", cs, err)
	}
}
