package storagetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

func testVersionsOrder(t *testing.T, s registry.Store) {
	ctx := t.Context()
	created := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	sch := insertSchema(t, s, `"v1"`)
	v1, err := s.VersionInsert(ctx, registry.VersionInsertParams{Subject: "orders", Version: 1, SchemaID: sch.ID, CreatedAt: created})
	mustOK(t, "VersionInsert", err)
	if v1.Subject != "orders" || v1.Version != 1 || v1.SchemaID != sch.ID || v1.Deleted || !v1.CreatedAt.Equal(created) {
		t.Errorf("VersionInsert returned %+v", v1)
	}
	mustRegister(t, s, "orders", `"v2"`)
	mustRegister(t, s, "orders", `"v3"`)
	mustRegister(t, s, "other", `"v1"`)

	list, err := s.VersionList(ctx, "orders", false)
	mustOK(t, "VersionList", err)
	want := []versionKey{{"orders", 1, false}, {"orders", 2, false}, {"orders", 3, false}}
	if got := keys(list); !reflect.DeepEqual(got, want) {
		t.Fatalf("VersionList = %v, want %v", got, want)
	}
	for i, v := range list {
		if v.Schema == nil || v.Schema.ID != v.SchemaID || v.Schema.Text != []string{`"v1"`, `"v2"`, `"v3"`}[i] {
			t.Errorf("version %d carries schema %+v", v.Version, v.Schema)
		}
	}
	if !list[0].CreatedAt.Equal(created) {
		t.Errorf("CreatedAt = %v, want %v", list[0].CreatedAt, created)
	}

	latest, err := s.VersionLatest(ctx, "orders", false)
	mustOK(t, "VersionLatest", err)
	if latest.Version != 3 || latest.Schema == nil || latest.Schema.Text != `"v3"` {
		t.Errorf("VersionLatest = %+v", latest)
	}
	got, err := s.VersionGet(ctx, "orders", 2, false)
	mustOK(t, "VersionGet", err)
	if got.Version != 2 || got.Schema == nil || got.Schema.Text != `"v2"` {
		t.Errorf("VersionGet(2) = %+v", got)
	}
	max, err := s.VersionMax(ctx, "orders")
	mustOK(t, "VersionMax", err)
	if max != 3 {
		t.Errorf("VersionMax = %d, want 3", max)
	}

	_, err = s.VersionGet(ctx, "orders", 4, true)
	wantErr(t, "VersionGet of a missing version", err, registry.ErrNotFound)
	_, err = s.VersionLatest(ctx, "nobody", true)
	wantErr(t, "VersionLatest of a missing subject", err, registry.ErrNotFound)
	max, err = s.VersionMax(ctx, "nobody")
	mustOK(t, "VersionMax of a missing subject", err)
	if max != 0 {
		t.Errorf("VersionMax of a missing subject = %d, want 0", max)
	}
	empty, err := s.VersionList(ctx, "nobody", true)
	mustOK(t, "VersionList of a missing subject", err)
	if len(empty) != 0 {
		t.Errorf("VersionList of a missing subject = %v", keys(empty))
	}
}

func testVersionInsertErrors(t *testing.T, s registry.Store) {
	ctx := t.Context()
	a := insertSchema(t, s, `"a"`)
	b := insertSchema(t, s, `"b"`)
	insert := func(version, schemaID int) error {
		_, err := s.VersionInsert(ctx, registry.VersionInsertParams{Subject: "s", Version: version, SchemaID: schemaID})
		return err
	}
	mustOK(t, "VersionInsert", insert(1, a.ID))
	wantErr(t, "VersionInsert of a taken version number", insert(1, b.ID), registry.ErrConflict)
	wantErr(t, "VersionInsert of a schema already live in the subject", insert(2, a.ID), registry.ErrConflict)
	wantErr(t, "VersionInsert of an unknown schema id", insert(2, b.ID+1000), registry.ErrNotFound)

	// Once soft-deleted, the same schema may come back as a new version.
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 1))
	mustOK(t, "VersionInsert of a schema whose version was soft-deleted", insert(2, a.ID))
}

func testVersionMaxSoftDeleted(t *testing.T, s registry.Store) {
	ctx := t.Context()
	for _, text := range []string{`"1"`, `"2"`, `"3"`} {
		mustRegister(t, s, "s", text)
	}
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 3))

	max, err := s.VersionMax(ctx, "s")
	mustOK(t, "VersionMax", err)
	if max != 3 {
		t.Errorf("VersionMax after soft-deleting version 3 = %d, want 3", max)
	}
	if v := mustRegister(t, s, "s", `"4"`); v.Version != 4 {
		t.Errorf("next version after a soft-deleted latest = %d, want 4", v.Version)
	}
	// Version 0 asks the store for the next number itself.
	five := insertSchema(t, s, `"5"`)
	v, err := s.VersionInsert(ctx, registry.VersionInsertParams{Subject: "s", SchemaID: five.ID})
	mustOK(t, "VersionInsert of the next version", err)
	if v.Version != 5 {
		t.Errorf("VersionInsert without a number after version 4 = %d, want 5", v.Version)
	}
	if got, err := s.VersionGet(ctx, "s", 5, false); err != nil || got.SchemaID != five.ID {
		t.Errorf("VersionGet(s, 5) = %+v, %v; want schema %d", got, err, five.ID)
	}
	first, err := s.VersionInsert(ctx, registry.VersionInsertParams{Subject: "fresh", SchemaID: five.ID})
	mustOK(t, "VersionInsert of the first version of a subject", err)
	if first.Version != 1 {
		t.Errorf("VersionInsert without a number in a new subject = %d, want 1", first.Version)
	}
	live, err := s.VersionList(ctx, "s", false)
	mustOK(t, "VersionList", err)
	if got, want := keys(live), []versionKey{{"s", 1, false}, {"s", 2, false}, {"s", 4, false}, {"s", 5, false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("live versions = %v, want %v", got, want)
	}
	all, err := s.VersionList(ctx, "s", true)
	mustOK(t, "VersionList(includeDeleted)", err)
	if got, want := keys(all), []versionKey{{"s", 1, false}, {"s", 2, false}, {"s", 3, true}, {"s", 4, false}, {"s", 5, false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("all versions = %v, want %v", got, want)
	}
}

func testSoftThenHardDelete(t *testing.T, s registry.Store) {
	ctx := t.Context()
	mustRegister(t, s, "s", `"1"`)
	v2 := mustRegister(t, s, "s", `"2"`)

	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 2))
	// A soft-deleted version still makes its schema reachable by id.
	used, err := s.SchemaGetUsed(ctx, dc, v2.SchemaID)
	mustOK(t, "SchemaGetUsed after soft delete", err)
	if used.Text != `"2"` {
		t.Errorf("SchemaGetUsed(%d) text = %q, want %q", v2.SchemaID, used.Text, `"2"`)
	}
	wantErr(t, "second VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 2), registry.ErrNotFound)
	wantErr(t, "VersionSoftDelete of a missing version", s.VersionSoftDelete(ctx, "s", 9), registry.ErrNotFound)

	_, err = s.VersionGet(ctx, "s", 2, false)
	wantErr(t, "VersionGet of a soft-deleted version", err, registry.ErrNotFound)
	got, err := s.VersionGet(ctx, "s", 2, true)
	mustOK(t, "VersionGet(includeDeleted)", err)
	if !got.Deleted {
		t.Errorf("soft-deleted version reads Deleted=false")
	}
	latest, err := s.VersionLatest(ctx, "s", false)
	mustOK(t, "VersionLatest", err)
	if latest.Version != 1 {
		t.Errorf("VersionLatest(live) = %d, want 1", latest.Version)
	}
	latest, err = s.VersionLatest(ctx, "s", true)
	mustOK(t, "VersionLatest(includeDeleted)", err)
	if latest.Version != 2 || !latest.Deleted {
		t.Errorf("VersionLatest(includeDeleted) = %d deleted=%v, want 2 deleted", latest.Version, latest.Deleted)
	}

	mustOK(t, "VersionHardDelete", s.VersionHardDelete(ctx, "s", 2))
	wantErr(t, "second VersionHardDelete", s.VersionHardDelete(ctx, "s", 2), registry.ErrNotFound)
	_, err = s.VersionGet(ctx, "s", 2, true)
	wantErr(t, "VersionGet of a hard-deleted version", err, registry.ErrNotFound)
	max, err := s.VersionMax(ctx, "s")
	mustOK(t, "VersionMax", err)
	if max != 1 {
		t.Errorf("VersionMax after hard-deleting version 2 = %d, want 1", max)
	}
	// The schema outlives its versions: an id always names the same content.
	sch, err := s.SchemaGetByID(ctx, dc, v2.SchemaID)
	mustOK(t, "SchemaGetByID after hard delete", err)
	if sch.Text != `"2"` {
		t.Errorf("schema %d text = %q", sch.ID, sch.Text)
	}
	// but it is no longer used by any version.
	_, err = s.SchemaGetUsed(ctx, dc, v2.SchemaID)
	wantErr(t, "SchemaGetUsed after hard delete", err, registry.ErrNotFound)
}

func testVersionBySchema(t *testing.T, s registry.Store) {
	ctx := t.Context()
	v1 := mustRegister(t, s, "s", `"x"`)
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 1))

	_, err := s.VersionBySchema(ctx, "s", v1.SchemaID, false)
	wantErr(t, "VersionBySchema of a soft-deleted version", err, registry.ErrNotFound)
	got, err := s.VersionBySchema(ctx, "s", v1.SchemaID, true)
	mustOK(t, "VersionBySchema(includeDeleted)", err)
	if got.Version != 1 || !got.Deleted || got.Schema == nil || got.Schema.Text != `"x"` {
		t.Errorf("VersionBySchema(includeDeleted) = %+v", got)
	}

	mustRegister(t, s, "s", `"y"`)
	v3 := mustRegister(t, s, "s", `"x"`)
	if v3.Version != 3 || v3.SchemaID != v1.SchemaID {
		t.Fatalf("re-registering gave version %d schema %d", v3.Version, v3.SchemaID)
	}
	for _, includeDeleted := range []bool{false, true} {
		got, err := s.VersionBySchema(ctx, "s", v1.SchemaID, includeDeleted)
		mustOK(t, "VersionBySchema", err)
		if got.Version != 3 || got.Deleted {
			t.Errorf("VersionBySchema(includeDeleted=%v) = version %d deleted=%v, want the live version 3",
				includeDeleted, got.Version, got.Deleted)
		}
	}
	_, err = s.VersionBySchema(ctx, "other", v1.SchemaID, true)
	wantErr(t, "VersionBySchema in another subject", err, registry.ErrNotFound)
}

func testReferencedBy(t *testing.T, s registry.Store) {
	ctx := t.Context()
	mustRegister(t, s, "address", `"address"`)
	ref := schema.Reference{Name: "Address", Subject: "address", Version: 1}
	user := mustRegister(t, s, "user", `"user"`, ref)
	order := mustRegister(t, s, "order", `"order"`, ref)
	// A schema that references address/1 but is used by no version.
	_, err := s.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
		Format: schema.Avro, Text: `"orphan"`, References: []schema.Reference{ref}, Fingerprint: fingerprint(`"orphan"`),
	}})
	mustOK(t, "SchemaInsert", err)

	ids, err := s.VersionReferencedBy(ctx, "address", 1)
	mustOK(t, "VersionReferencedBy", err)
	if want := []registry.SchemaKey{{Context: dc, ID: user.SchemaID}, {Context: dc, ID: order.SchemaID}}; !reflect.DeepEqual(ids, want) {
		t.Errorf("VersionReferencedBy = %v, want %v", ids, want)
	}

	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "user", 1))
	ids, err = s.VersionReferencedBy(ctx, "address", 1)
	mustOK(t, "VersionReferencedBy", err)
	if want := []registry.SchemaKey{{Context: dc, ID: order.SchemaID}}; !reflect.DeepEqual(ids, want) {
		t.Errorf("VersionReferencedBy after soft-deleting user = %v, want %v", ids, want)
	}

	ids, err = s.VersionReferencedBy(ctx, "address", 2)
	mustOK(t, "VersionReferencedBy", err)
	if len(ids) != 0 {
		t.Errorf("VersionReferencedBy of an unreferenced version = %v, want none", ids)
	}
}

func testSchemaVersions(t *testing.T, s registry.Store) {
	ctx := t.Context()
	a1 := mustRegister(t, s, "b-subject", `"shared"`)
	mustRegister(t, s, "a-subject", `"other"`)
	mustRegister(t, s, "a-subject", `"shared"`)
	mustRegister(t, s, "c-subject", `"shared"`)
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "c-subject", 1))

	live, err := s.SchemaVersions(ctx, dc, a1.SchemaID, false)
	mustOK(t, "SchemaVersions", err)
	if got, want := keys(live), []versionKey{{"a-subject", 2, false}, {"b-subject", 1, false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("SchemaVersions = %v, want %v", got, want)
	}
	all, err := s.SchemaVersions(ctx, dc, a1.SchemaID, true)
	mustOK(t, "SchemaVersions(includeDeleted)", err)
	if got, want := keys(all), []versionKey{{"a-subject", 2, false}, {"b-subject", 1, false}, {"c-subject", 1, true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("SchemaVersions(includeDeleted) = %v, want %v", got, want)
	}
	for _, v := range all {
		if v.SchemaID != a1.SchemaID {
			t.Errorf("SchemaVersions returned %s/%d with schema %d", v.Subject, v.Version, v.SchemaID)
		}
	}
	none, err := s.SchemaVersions(ctx, dc, a1.SchemaID+1000, true)
	mustOK(t, "SchemaVersions of an unknown id", err)
	if len(none) != 0 {
		t.Errorf("SchemaVersions of an unknown id = %v", keys(none))
	}
}

func testRollback(t *testing.T, s registry.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		sch := insertSchema(t, tx, `"doomed"`)
		if _, err := tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: "s", Version: 1, SchemaID: sch.ID}); err != nil {
			return err
		}
		if err := tx.ConfigSet(ctx, "s", registry.Config{Normalize: ptr(true)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want the callback's error", err)
	}
	_, err = s.SchemaGetByFingerprint(ctx, fingerprint(`"doomed"`))
	wantErr(t, "schema written by a rolled-back transaction", err, registry.ErrNotFound)
	_, err = s.VersionLatest(ctx, "s", true)
	wantErr(t, "version written by a rolled-back transaction", err, registry.ErrNotFound)
	_, err = s.ConfigGet(ctx, "s")
	wantErr(t, "config written by a rolled-back transaction", err, registry.ErrNotFound)
}

func testReadOwnWrites(t *testing.T, s registry.Store) {
	err := s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
		sch := insertSchema(t, tx, `"mine"`)
		if _, err := tx.SchemaGetByID(ctx, dc, sch.ID); err != nil {
			return fmt.Errorf("schema inserted in this transaction: %w", err)
		}
		if _, err := tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: "s", Version: 1, SchemaID: sch.ID}); err != nil {
			return err
		}
		max, err := tx.VersionMax(ctx, "s")
		if err != nil {
			return err
		}
		if max != 1 {
			return fmt.Errorf("VersionMax inside the transaction = %d, want 1", max)
		}
		return nil
	})
	mustOK(t, "InTx", err)
}

// testConflictKeepsTransaction: a schema insert refused for a taken
// fingerprint leaves the transaction usable, so a writer that lost the
// race reads the winner's row and carries on in the same transaction.
func testConflictKeepsTransaction(t *testing.T, s registry.Store) {
	taken := insertSchema(t, s, `"taken"`)
	err := s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
		_, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
			Format: schema.Avro, Text: `"taken"`, Fingerprint: taken.Fingerprint,
		}})
		if !errors.Is(err, registry.ErrConflict) {
			return fmt.Errorf("SchemaInsert of a taken fingerprint = %v, want ErrConflict", err)
		}
		sch, err := tx.SchemaGetByFingerprint(ctx, taken.Fingerprint)
		if err != nil {
			return fmt.Errorf("read after the refused insert: %w", err)
		}
		_, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: "s", SchemaID: sch.ID})
		return err
	})
	mustOK(t, "InTx", err)
	v, err := s.VersionLatest(t.Context(), "s", false)
	mustOK(t, "VersionLatest", err)
	if v.Version != 1 || v.SchemaID != taken.ID {
		t.Errorf("committed version = %d of schema %d, want 1 of schema %d", v.Version, v.SchemaID, taken.ID)
	}
}

func testSubjectLockOutsideTx(t *testing.T, s registry.Store) {
	if err := s.SubjectLock(t.Context(), "s"); err == nil {
		t.Error("SubjectLock outside a transaction succeeded; it would lock nothing")
	}
	err := s.InTx(t.Context(), func(ctx context.Context, tx registry.Executor) error {
		// Taking the same lock twice in one transaction is fine.
		if err := tx.SubjectLock(ctx, "s"); err != nil {
			return err
		}
		return tx.SubjectLock(ctx, "s")
	})
	mustOK(t, "SubjectLock in a transaction", err)
}

func ptr[T any](v T) *T { return &v }

// testVersionListByInput: the hashes stored with versions come back with
// the live versions, and the input hash of any version, soft-deleted
// ones included, finds that version's hashes.
func testVersionListByInput(t *testing.T, s registry.Store) {
	ctx := t.Context()
	a, b, c := insertSchema(t, s, `"a"`), insertSchema(t, s, `"b"`), insertSchema(t, s, `"c"`)
	ha := registry.VersionHashes{Input: "in-a", Identity: "id-a", Normalized: "norm-a"}
	hc := registry.VersionHashes{Input: "in-c", Identity: "id-c", Normalized: "norm-c"}
	for _, p := range []registry.VersionInsertParams{
		{Subject: "s", SchemaID: a.ID, Hashes: ha},
		{Subject: "s", SchemaID: b.ID}, // registered before hashes were stored
		{Subject: "s", SchemaID: c.ID, Hashes: hc},
		{Subject: "other", SchemaID: a.ID, Hashes: registry.VersionHashes{Input: "in-other", Identity: "x", Normalized: "y"}},
	} {
		_, err := s.VersionInsert(ctx, p)
		mustOK(t, "VersionInsert", err)
	}
	mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(ctx, "s", 3))

	live, registered, err := s.VersionListByInput(ctx, "s", "in-c")
	mustOK(t, "VersionListByInput", err)
	var got []registry.VersionHashes
	for _, v := range live {
		if v.Schema == nil || v.Schema.ID != v.SchemaID {
			t.Errorf("version %d comes without its schema: %+v", v.Version, v.Schema)
		}
		got = append(got, v.Hashes)
	}
	want := []registry.VersionHashes{ha, {}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("live hashes = %+v, want %+v", got, want)
	}
	if registered == nil || *registered != hc {
		t.Errorf("hashes registered by in-c (a soft-deleted version) = %+v, want %+v", registered, hc)
	}
	for _, input := range []string{"in-other", "unknown"} {
		if _, registered, err := s.VersionListByInput(ctx, "s", input); err != nil || registered != nil {
			t.Errorf("VersionListByInput(s, %s) registered %+v, %v; want none", input, registered, err)
		}
	}

	// Filling adds what a version lacks and keeps what it has.
	mustOK(t, "VersionFillHashes", s.VersionFillHashes(ctx, "s", 2, registry.VersionHashes{Identity: "id-b", Normalized: "norm-b"}))
	mustOK(t, "VersionFillHashes", s.VersionFillHashes(ctx, "s", 1, registry.VersionHashes{Input: "in-a2", Identity: "other"}))
	live, _, err = s.VersionListByInput(ctx, "s", "")
	mustOK(t, "VersionListByInput", err)
	got = nil
	for _, v := range live {
		got = append(got, v.Hashes)
	}
	want = []registry.VersionHashes{ha, {Identity: "id-b", Normalized: "norm-b"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hashes after filling = %+v, want %+v", got, want)
	}
	err = s.VersionFillHashes(ctx, "s", 9, registry.VersionHashes{Identity: "x"})
	wantErr(t, "VersionFillHashes of a missing version", err, registry.ErrNotFound)
}
