// Package storagetest is the conformance suite every registry.Store
// implementation must pass. It pins, once, the invariants the domain
// relies on: ids and fingerprints, the version sequence, the soft then
// hard delete state machine, list filters, config and mode storage,
// change notification after commit, and gapless versions under
// concurrent writers.
//
// Run takes a constructor that returns a fresh, empty, migrated store per
// call; this package's own test runs it against every store. storagetest depends on the registry
// domain, its vocabulary (schema, compat) and the testing package; it must
// not import any storage implementation.
package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// NewStore returns a fresh, empty store for one test, closed when the
// test ends.
type NewStore func(t *testing.T) registry.Store

// Run runs the conformance suite against the stores newStore makes. Every
// subtest gets its own store and runs in parallel with the others.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	runEach(t, newStore, []storeTest[registry.Store]{
		{"SchemaInsertThenGetByIDAndFingerprint", testSchemaInsertGet},
		{"SchemaMissingIsNotFound", testSchemaMissing},
		{"SchemaDuplicateFingerprintOrIDConflicts", testSchemaConflict},
		{"SchemaExplicitIDMovesSequencePastIt", testSchemaExplicitID},
		{"VersionsListOldestFirst", testVersionsOrder},
		{"VersionInsertConflictsAndMissingSchema", testVersionInsertErrors},
		{"VersionMaxCountsSoftDeleted", testVersionMaxSoftDeleted},
		{"VersionSoftThenHardDelete", testSoftThenHardDelete},
		{"VersionBySchemaPrefersLive", testVersionBySchema},
		{"VersionReferencedByLiveSchemas", testReferencedBy},
		{"SchemaVersionsAcrossSubjects", testSchemaVersions},
		{"SchemaListFilters", testSchemaList},
		{"SubjectListFilters", testSubjectList},
		{"ConfigSetGetDelete", testConfig},
		{"ModeSetGetDelete", testMode},
		{"TransactionRollsBackOnError", testRollback},
		{"TransactionReadsItsOwnWrites", testReadOwnWrites},
		{"SchemaConflictKeepsTransaction", testConflictKeepsTransaction},
		{"VersionListByInputReturnsHashes", testVersionListByInput},
		{"SubjectLockOutsideTransactionFails", testSubjectLockOutsideTx},
		{"WatchSeesCommittedNotRolledBack", testWatch},
		{"WatchEndsWithContext", testWatchEnds},
		{"ConcurrentWritersGetGaplessVersions", testConcurrentRegistrations},
		{"ConcurrentWritersAcrossContexts", testConcurrentContexts},
		{"ContextsKeepTheirOwnIds", testContextIDs},
		{"ContextReferencesResolveInTheirContext", testContextReferences},
		{"ContextDeleteEmptiesTheContext", testContextDelete},
	})
	t.Run("Consumers", func(t *testing.T) {
		t.Parallel()
		RunConsumers(t, newStore)
	})
}

// storeTest is one conformance test; S is the part of the store it uses.
type storeTest[S any] struct {
	name string
	fn   func(t *testing.T, s S)
}

// runEach runs each test as a parallel subtest on its own fresh store.
func runEach[S any](t *testing.T, newStore func(t *testing.T) S, tests []storeTest[S]) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

// fingerprint derives a test schema's fingerprint from its text.
func fingerprint(text string) string { return "fp:" + text }

// fingerprintIn is fingerprint in schemaContext: as the domain's, it
// includes the context outside the default one.
func fingerprintIn(schemaContext, text string) string {
	if schemaContext == registry.DefaultContext {
		return fingerprint(text)
	}
	return schemaContext + ":" + fingerprint(text)
}

// insertSchema inserts an Avro schema with text and no references.
func insertSchema(t *testing.T, ex registry.Executor, text string) *registry.Schema {
	t.Helper()
	s, err := ex.SchemaInsert(t.Context(), registry.SchemaInsertParams{Schema: registry.Schema{
		Format: schema.Avro, Text: text, Fingerprint: fingerprint(text),
	}})
	if err != nil {
		t.Fatalf("SchemaInsert(%q): %v", text, err)
	}
	return s
}

// register adds text as the next version of subject the way the domain
// does: under the subject lock, reusing the schema if its fingerprint is
// known, numbering the version VersionMax+1.
func register(ctx context.Context, s registry.Store, subject, text string, refs ...schema.Reference) (*registry.SubjectVersion, error) {
	var out *registry.SubjectVersion
	err := s.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		if err := tx.SubjectLock(ctx, subject); err != nil {
			return err
		}
		sc := registry.ContextOf(subject)
		sch, err := tx.SchemaGetByFingerprint(ctx, fingerprintIn(sc, text))
		if errors.Is(err, registry.ErrNotFound) {
			sch, err = tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
				Context: sc, Format: schema.Avro, Text: text, References: refs, Fingerprint: fingerprintIn(sc, text),
			}})
		}
		if err != nil {
			return err
		}
		max, err := tx.VersionMax(ctx, subject)
		if err != nil {
			return err
		}
		out, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: subject, Version: max + 1, SchemaID: sch.ID})
		if err != nil {
			return err
		}
		return tx.Notify(ctx, registry.Change{Subject: subject, Kind: registry.ChangeVersions})
	})
	if err != nil {
		return nil, fmt.Errorf("register %q in %s: %w", text, subject, err)
	}
	return out, nil
}

func mustRegister(t *testing.T, s registry.Store, subject, text string, refs ...schema.Reference) *registry.SubjectVersion {
	t.Helper()
	v, err := register(t.Context(), s, subject, text, refs...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// versionKey names a subject version in comparisons.
type versionKey struct {
	Subject string
	Version int
	Deleted bool
}

func keys(vs []registry.SubjectVersion) []versionKey {
	out := make([]versionKey, 0, len(vs))
	for _, v := range vs {
		out = append(out, versionKey{v.Subject, v.Version, v.Deleted})
	}
	return out
}

// dc is the default context, where unqualified subjects and their schemas
// live.
const dc = registry.DefaultContext
