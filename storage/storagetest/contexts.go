package storagetest

import (
	"reflect"
	"testing"

	"github.com/schemata-dev/schemata/compat"
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
	registerWantIDs(t, s, []wantID{
		{":.b:orders", `"after ten"`, 11, "schema after explicit id 10 in .b"},
		{":.a:orders", `"third"`, 3, "third schema of .a"},
	})
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

// testContextDelete pins ContextDelete: refused while a version, even a
// soft-deleted one, remains; then it removes the context's schemas, id
// counter, config and mode rows and runtime usage, and nothing of another
// context's.
func testContextDelete(t *testing.T, s registry.Store) {
	ctx := t.Context()
	v := mustRegister(t, s, ":.gone:orders", `"gone"`)
	kept := mustRegister(t, s, ":.kept:orders", `"kept"`)
	mustRegister(t, s, "orders", `"default"`)
	var usage []registry.UsageDelta
	for sc, id := range map[string]int{".gone": v.SchemaID, ".kept": kept.SchemaID} {
		usage = append(usage, registry.UsageDelta{Context: sc, SchemaID: id, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day})
	}
	mustOK(t, "UsageAdd", s.UsageAdd(ctx, usage))
	level := compat.Full
	for _, subject := range []string{":.gone:", ":.gone:orders", ":.kept:", "orders"} {
		mustOK(t, "ConfigSet "+subject, s.ConfigSet(ctx, subject, registry.Config{Compatibility: &level}))
		mustOK(t, "ModeSet "+subject, s.ModeSet(ctx, subject, registry.ReadOnly))
	}

	for _, tc := range []struct {
		name, context string
		want          error
	}{
		{"the default context", registry.DefaultContext, registry.ErrConflict},
		{"a context with a live version", ".gone", registry.ErrConflict},
		{"a context holding nothing", ".never", registry.ErrNotFound},
	} {
		wantErr(t, "ContextDelete of "+tc.name, s.ContextDelete(ctx, tc.context), tc.want)
	}
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, v.Subject, v.Version))
	wantErr(t, "ContextDelete with a soft-deleted version", s.ContextDelete(ctx, ".gone"), registry.ErrConflict)
	mustOK(t, "VersionHardDelete", s.VersionHardDelete(ctx, v.Subject, v.Version))

	cs, err := s.ContextList(ctx)
	mustOK(t, "ContextList", err)
	if want := []string{".", ".gone", ".kept"}; !reflect.DeepEqual(cs, want) {
		t.Errorf("ContextList after the hard delete = %v, want %v: the context stays until deleted", cs, want)
	}
	mustOK(t, "ContextDelete", s.ContextDelete(ctx, ".gone"))
	wantErr(t, "second ContextDelete", s.ContextDelete(ctx, ".gone"), registry.ErrNotFound)

	cs, err = s.ContextList(ctx)
	mustOK(t, "ContextList", err)
	if want := []string{".", ".kept"}; !reflect.DeepEqual(cs, want) {
		t.Errorf("ContextList after ContextDelete = %v, want %v", cs, want)
	}
	_, err = s.SchemaGetByID(ctx, ".gone", v.SchemaID)
	wantErr(t, "SchemaGetByID in the deleted context", err, registry.ErrNotFound)
	left, err := s.UsageList(ctx, registry.UsageListParams{})
	mustOK(t, "UsageList", err)
	if len(left) != 1 || left[0].Context != ".kept" || left[0].SchemaID != kept.SchemaID {
		t.Errorf("usage after ContextDelete = %+v, want only .kept's", left)
	}
	for _, subject := range []string{":.gone:", ":.gone:orders"} {
		_, err := s.ConfigGet(ctx, subject)
		wantErr(t, "ConfigGet "+subject, err, registry.ErrNotFound)
		_, err = s.ModeGet(ctx, subject)
		wantErr(t, "ModeGet "+subject, err, registry.ErrNotFound)
	}
	for _, subject := range []string{":.kept:", "orders"} {
		_, err := s.ConfigGet(ctx, subject)
		mustOK(t, "ConfigGet of another context "+subject, err)
		_, err = s.ModeGet(ctx, subject)
		mustOK(t, "ModeGet of another context "+subject, err)
	}
	// The id counter went with the context: it counts from 1 again.
	registerWantIDs(t, s, []wantID{
		{":.gone:orders", `"again"`, 1, "first schema of the recreated context"},
		{":.kept:payments", `"kept 2"`, 2, "second schema of .kept"},
	})
}

// wantID is a registration and the schema id it must get.
type wantID struct {
	subject, text string
	id            int
	what          string
}

// registerWantIDs registers each in turn and checks the id it got.
func registerWantIDs(t *testing.T, s registry.Store, regs []wantID) {
	t.Helper()
	for _, r := range regs {
		if v := mustRegister(t, s, r.subject, r.text); v.SchemaID != r.id {
			t.Errorf("%s got id %d, want %d", r.what, v.SchemaID, r.id)
		}
	}
}
