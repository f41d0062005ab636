package storagetest

import (
	"reflect"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// testContextIDs pins ids per context: each named context counts from 1,
// the same text in two contexts is two schemas, an id is looked up in its
// context only, listings keep to the default context unless asked, and an
// explicit id moves only its own context's count.
func testContextIDs(t *testing.T, s registry.Store) {
	ctx := t.Context()
	def := mustRegister(t, s, "orders", `"same"`)
	a := mustRegister(t, s, ":.a:orders", `"same"`)
	b := mustRegister(t, s, ":.b:orders", `"other"`)
	for name, v := range map[string]*registry.SubjectVersion{"default": def, ".a": a, ".b": b} {
		if v.SchemaID != 1 {
			t.Errorf("first schema of context %s got id %d, want 1", name, v.SchemaID)
		}
	}
	a2 := mustRegister(t, s, ":.a:payments", `"second"`)
	if a2.SchemaID != 2 {
		t.Errorf("second schema of .a got id %d, want 2", a2.SchemaID)
	}

	for _, tc := range []struct {
		context, text string
	}{{dc, `"same"`}, {".a", `"same"`}, {".b", `"other"`}} {
		got, err := s.SchemaGetUsed(ctx, tc.context, 1)
		mustOK(t, "SchemaGetUsed in "+tc.context, err)
		if got.Text != tc.text || got.Context != tc.context {
			t.Errorf("schema 1 of %s = %q in %q, want %q", tc.context, got.Text, got.Context, tc.text)
		}
	}
	_, err := s.SchemaGetByID(ctx, ".missing", 1)
	wantErr(t, "SchemaGetByID in a context without schemas", err, registry.ErrNotFound)

	vs, err := s.SchemaVersions(ctx, ".a", 1, true)
	mustOK(t, "SchemaVersions", err)
	if len(vs) != 1 || vs[0].Subject != ":.a:orders" {
		t.Errorf("SchemaVersions(.a, 1) = %+v, want :.a:orders only", vs)
	}
	for sc, want := range map[string]int{dc: 1, ".a": 2, ".b": 1, ".none": 0} {
		got, err := s.SchemaMaxID(ctx, sc)
		mustOK(t, "SchemaMaxID", err)
		if got != want {
			t.Errorf("SchemaMaxID(%s) = %d, want %d", sc, got, want)
		}
	}

	cs, err := s.ContextList(ctx)
	mustOK(t, "ContextList", err)
	if want := []string{".", ".a", ".b"}; !reflect.DeepEqual(cs, want) {
		t.Errorf("ContextList = %v, want %v", cs, want)
	}
	for _, tc := range []struct {
		p    registry.SubjectListParams
		want []string
	}{
		{registry.SubjectListParams{DefaultContextOnly: true}, []string{"orders"}},
		{registry.SubjectListParams{}, []string{":.a:orders", ":.a:payments", ":.b:orders", "orders"}},
		{registry.SubjectListParams{Prefix: ":.a:"}, []string{":.a:orders", ":.a:payments"}},
	} {
		got, err := s.SubjectList(ctx, tc.p)
		mustOK(t, "SubjectList", err)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SubjectList(%+v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	list, err := s.SchemaList(ctx, registry.SchemaListParams{DefaultContextOnly: true})
	mustOK(t, "SchemaList", err)
	if len(list) != 1 || list[0].Subject != "orders" {
		t.Errorf("SchemaList(default context) = %+v, want orders only", list)
	}

	// An explicit id moves its context's count, not another's.
	_, err = s.SchemaInsert(ctx, registry.SchemaInsertParams{ID: 10, Schema: registry.Schema{
		Context: ".b", Format: schema.Avro, Text: `"ten"`, Fingerprint: fingerprintIn(".b", `"ten"`),
	}})
	mustOK(t, "SchemaInsert with an explicit id", err)
	// The same id twice in one context conflicts.
	_, err = s.SchemaInsert(ctx, registry.SchemaInsertParams{ID: 10, Schema: registry.Schema{
		Context: ".b", Format: schema.Avro, Text: `"ten again"`, Fingerprint: fingerprintIn(".b", `"ten again"`),
	}})
	wantErr(t, "SchemaInsert of a taken id", err, registry.ErrConflict)
	b2 := mustRegister(t, s, ":.b:orders", `"after ten"`)
	if b2.SchemaID != 11 {
		t.Errorf("schema after explicit id 10 in .b got %d, want 11", b2.SchemaID)
	}
	a3 := mustRegister(t, s, ":.a:orders", `"third"`)
	if a3.SchemaID != 3 {
		t.Errorf("third schema of .a got %d, want 3", a3.SchemaID)
	}
}

// testContextReferences pins that an unqualified reference from a schema
// of a context names a subject of that context: referenced-by finds it
// under the qualified subject, not under the default context's.
func testContextReferences(t *testing.T, s registry.Store) {
	ctx := t.Context()
	mustRegister(t, s, "address", `"default address"`)
	mustRegister(t, s, ":.a:address", `"a address"`)
	user, err := register(ctx, s, ":.a:user", `"a user"`, schema.Reference{Name: "Address", Subject: "address", Version: 1})
	mustOK(t, "register with a reference", err)

	got, err := s.VersionReferencedBy(ctx, ":.a:address", 1)
	mustOK(t, "VersionReferencedBy", err)
	if want := []registry.SchemaKey{{Context: ".a", ID: user.SchemaID}}; !reflect.DeepEqual(got, want) {
		t.Errorf("VersionReferencedBy(:.a:address) = %v, want %v", got, want)
	}
	got, err = s.VersionReferencedBy(ctx, "address", 1)
	mustOK(t, "VersionReferencedBy", err)
	if len(got) != 0 {
		t.Errorf("VersionReferencedBy(address) = %v, want none: the reference is .a's", got)
	}
	sch, err := s.SchemaGetByID(ctx, ".a", user.SchemaID)
	mustOK(t, "SchemaGetByID", err)
	if len(sch.References) != 1 || sch.References[0].Subject != "address" {
		t.Errorf("references = %+v, want the reference as given", sch.References)
	}
}
