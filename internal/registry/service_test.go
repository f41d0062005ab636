package registry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

// backends lists the stores the domain tests run on; each returns a fresh,
// migrated store.
var backends = map[string]func(t *testing.T) registry.Store{
	"postgres": func(t *testing.T) registry.Store {
		return pgtest.NewStore(t)
	},
	"sqlite": func(t *testing.T) registry.Store {
		st, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	},
}

func eachBackend(t *testing.T, fn func(t *testing.T, svc *registry.Service)) {
	t.Helper()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			svc := registry.New(open(t), registry.Options{Defaults: registry.ConfluentDefaultConfig(), Logger: slog.New(slog.DiscardHandler)})
			fn(t, svc)
		})
	}
}

func avroRecord(fields ...string) registry.SchemaInput {
	text := `{"type":"record","name":"Order","namespace":"shop","fields":[`
	for i, f := range fields {
		if i > 0 {
			text += ","
		}
		text += f
	}
	text += "]}"
	return registry.SchemaInput{Format: schema.Avro, Text: text}
}

const (
	fieldID    = `{"name":"id","type":"long"}`
	fieldNote  = `{"name":"note","type":"string","default":""}`
	fieldPrice = `{"name":"price","type":"double"}`
)

func register(t *testing.T, svc *registry.Service, subject string, in registry.SchemaInput) *registry.SubjectVersion {
	t.Helper()
	v, err := svc.Register(context.Background(), registry.RegisterParams{Subject: subject, Schema: in})
	if err != nil {
		t.Fatalf("register %s: %v", subject, err)
	}
	return v
}

func wantCode(t *testing.T, err error, code srapi.Code) {
	t.Helper()
	var e *registry.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got error %v, want code %d", err, code)
	}
}

func TestRegisterIsIdempotentAndSharesIDs(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		v1 := register(t, svc, "orders-value", avroRecord(fieldID))
		again := register(t, svc, "orders-value", avroRecord(fieldID))
		if again.SchemaID != v1.SchemaID || again.Version != 1 {
			t.Fatalf("re-registration gave id %d version %d, want id %d version 1", again.SchemaID, again.Version, v1.SchemaID)
		}
		// Formatting does not make a different schema.
		spaced := avroRecord(fieldID)
		spaced.Text = "  " + spaced.Text + "\n"
		if v := register(t, svc, "orders-value", spaced); v.SchemaID != v1.SchemaID {
			t.Fatalf("whitespace changed the id: %d vs %d", v.SchemaID, v1.SchemaID)
		}
		other := register(t, svc, "audit-value", avroRecord(fieldID))
		if other.SchemaID != v1.SchemaID || other.Version != 1 {
			t.Fatalf("same schema in another subject: id %d version %d, want id %d version 1", other.SchemaID, other.Version, v1.SchemaID)
		}
		v2 := register(t, svc, "orders-value", avroRecord(fieldID, fieldNote))
		if v2.Version != 2 || v2.SchemaID == v1.SchemaID {
			t.Fatalf("second schema: version %d id %d", v2.Version, v2.SchemaID)
		}
		got, err := svc.SchemaByID(context.Background(), "", v2.SchemaID)
		if err != nil || got.Format != schema.Avro {
			t.Fatalf("SchemaByID: %v %v", got, err)
		}
	})
}

func TestVersionsContinueAfterSoftDelete(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		register(t, svc, "s", avroRecord(fieldID))
		register(t, svc, "s", avroRecord(fieldID, fieldNote))
		if _, err := svc.DeleteVersion(ctx, "s", 2, false); err != nil {
			t.Fatal(err)
		}
		v := register(t, svc, "s", avroRecord(fieldID, `{"name":"other","type":"int","default":0}`))
		if v.Version != 3 {
			t.Fatalf("version after soft delete = %d, want 3", v.Version)
		}
		vs, err := svc.Versions(ctx, registry.VersionsParams{Subject: "s"})
		if err != nil || fmt.Sprint(vs) != "[1 3]" {
			t.Fatalf("live versions %v %v", vs, err)
		}
		vs, _ = svc.Versions(ctx, registry.VersionsParams{Subject: "s", IncludeDeleted: true})
		if fmt.Sprint(vs) != "[1 2 3]" {
			t.Fatalf("all versions %v", vs)
		}
	})
}

func TestIncompatibleRegistrationIsRejected(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		register(t, svc, "s", avroRecord(fieldID))
		_, err := svc.Register(context.Background(), registry.RegisterParams{Subject: "s", Schema: avroRecord(fieldID, fieldPrice)})
		wantCode(t, err, srapi.CodeIncompatibleSchema)
		var e *registry.Error
		errors.As(err, &e)
		if len(e.Findings) == 0 {
			t.Fatal("an incompatible registration carries no findings")
		}
		// NONE accepts it.
		none := compat.None
		if _, err := svc.SetConfig(context.Background(), "s", registry.Config{Compatibility: &none}); err != nil {
			t.Fatal(err)
		}
		if v := register(t, svc, "s", avroRecord(fieldID, fieldPrice)); v.Version != 2 {
			t.Fatalf("version %d", v.Version)
		}
	})
}

func TestInvalidSchemaIs42201(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		for _, in := range []registry.SchemaInput{
			{Format: schema.Avro, Text: `{"type":"record","name":"X"`},
			{Format: schema.Avro, Text: `{"type":"record","name":"X","fields":[{"name":"a","type":"int","default":"x"}]}`},
			{Format: schema.Protobuf, Text: `syntax = "proto3"; message { }`},
			{Format: schema.JSON, Text: `{"type":"strng"}`},
			{Format: schema.Avro, Text: `"shop.Missing"`, References: []schema.Reference{{Name: "shop.Missing", Subject: "nope", Version: 1}}},
		} {
			_, err := svc.Register(context.Background(), registry.RegisterParams{Subject: "s", Schema: in})
			wantCode(t, err, srapi.CodeInvalidSchema)
		}
		if _, err := svc.Versions(context.Background(), registry.VersionsParams{Subject: "s"}); err == nil {
			t.Fatal("an invalid schema created the subject")
		}
	})
}

func TestDeleteStateMachine(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		v := register(t, svc, "s", avroRecord(fieldID))
		_, err := svc.DeleteVersion(ctx, "s", 1, true)
		wantCode(t, err, srapi.CodeVersionNotSoftDeleted)
		_, err = svc.DeleteSubject(ctx, "s", true)
		wantCode(t, err, srapi.CodeSubjectNotSoftDeleted)
		if got, err := svc.DeleteSubject(ctx, "s", false); err != nil || fmt.Sprint(got) != "[1]" {
			t.Fatalf("soft delete subject: %v %v", got, err)
		}
		_, err = svc.DeleteSubject(ctx, "s", false)
		wantCode(t, err, srapi.CodeSubjectSoftDeleted)
		_, err = svc.DeleteVersion(ctx, "s", 1, false)
		wantCode(t, err, srapi.CodeVersionSoftDeleted)
		_, err = svc.Version(ctx, "s", 1, false)
		wantCode(t, err, srapi.CodeVersionNotFound)
		if _, err := svc.Version(ctx, "s", 1, true); err != nil {
			t.Fatalf("soft-deleted version with deleted=true: %v", err)
		}
		// The id still resolves while a soft-deleted version uses it.
		if _, err := svc.SchemaByID(ctx, "", v.SchemaID); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.DeleteSubject(ctx, "s", true); err != nil || fmt.Sprint(got) != "[1]" {
			t.Fatalf("hard delete subject: %v %v", got, err)
		}
		_, err = svc.SchemaByID(ctx, "", v.SchemaID)
		wantCode(t, err, srapi.CodeSchemaNotFound)
		_, err = svc.DeleteSubject(ctx, "s", false)
		wantCode(t, err, srapi.CodeSubjectNotFound)
		_, err = svc.Version(ctx, "s", 1, true)
		wantCode(t, err, srapi.CodeSubjectNotFound)
		// An id never names different content: registering again reuses it.
		if again := register(t, svc, "s", avroRecord(fieldID)); again.SchemaID != v.SchemaID || again.Version != 1 {
			t.Fatalf("after permanent delete: id %d version %d", again.SchemaID, again.Version)
		}
	})
}

func TestReferencedVersionCannotBeDeleted(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		register(t, svc, "money", registry.SchemaInput{Format: schema.Avro,
			Text: `{"type":"record","name":"Money","namespace":"shop","fields":[{"name":"cents","type":"long"}]}`})
		user := register(t, svc, "orders", registry.SchemaInput{Format: schema.Avro,
			Text:       `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":"shop.Money"}]}`,
			References: []schema.Reference{{Name: "shop.Money", Subject: "money", Version: 1}}})
		ids, err := svc.ReferencedBy(ctx, "money", 1)
		if err != nil || fmt.Sprint(ids) != fmt.Sprint([]int{user.SchemaID}) {
			t.Fatalf("referencedby %v %v", ids, err)
		}
		_, err = svc.DeleteVersion(ctx, "money", 1, false)
		wantCode(t, err, srapi.CodeReferenceExists)
		_, err = svc.DeleteSubject(ctx, "money", false)
		wantCode(t, err, srapi.CodeReferenceExists)
	})
}

func TestModes(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		register(t, svc, "s", avroRecord(fieldID))
		if _, err := svc.SetMode(ctx, "s", registry.ReadOnly, false); err != nil {
			t.Fatal(err)
		}
		// As in Confluent, READONLY refuses even an idempotent
		// re-registration.
		_, err := svc.Register(ctx, registry.RegisterParams{Subject: "s", Schema: avroRecord(fieldID)})
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "s", Schema: avroRecord(fieldID, fieldNote)})
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		_, err = svc.DeleteVersion(ctx, "s", 1, false)
		wantCode(t, err, srapi.CodeOperationNotPermitted)

		_, err = svc.SetMode(ctx, "", registry.Import, false)
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		_, err = svc.SetMode(ctx, "fresh", registry.Mode("WRONG"), false)
		wantCode(t, err, srapi.CodeInvalidMode)
		if _, err := svc.SetMode(ctx, "imported", registry.Import, false); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldPrice), ID: 1000, Version: 7})
		if err != nil || got.SchemaID != 1000 || got.Version != 7 {
			t.Fatalf("import: %+v %v", got, err)
		}
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldID, fieldPrice), ID: 1000, Version: 8})
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		// IMPORT takes nothing without an id, not even a known schema.
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldPrice)})
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		// Ids assigned later never collide with imported ones.
		if _, err := svc.DeleteMode(ctx, "s"); err != nil {
			t.Fatal(err)
		}
		next := register(t, svc, "s", avroRecord(fieldID, fieldNote))
		if next.SchemaID <= 1000 {
			t.Fatalf("id after import = %d, want > 1000", next.SchemaID)
		}
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "s", Schema: avroRecord(fieldID, fieldNote, `{"name":"z","type":"int","default":1}`), ID: 5000})
		wantCode(t, err, srapi.CodeOperationNotPermitted)
	})
}

func TestReadOnlyModes(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		register(t, svc, "s", avroRecord(fieldID))
		full := compat.Full
		tests := []struct {
			name          string
			global, local registry.Mode
			want          registry.Mode
		}{
			{"subject mode wins over global READONLY", registry.ReadOnly, registry.ReadWrite, registry.ReadWrite},
			{"global READONLY_OVERRIDE wins over the subject", registry.ReadOnlyOverride, registry.ReadWrite, registry.ReadOnlyOverride},
			{"subject READONLY_OVERRIDE", registry.ReadWrite, registry.ReadOnlyOverride, registry.ReadOnlyOverride},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for subject, m := range map[string]registry.Mode{"": tt.global, "s": tt.local} {
					if _, err := svc.SetMode(ctx, subject, m, false); err != nil {
						t.Fatal(err)
					}
				}
				got, err := svc.Mode(ctx, "s", true)
				if err != nil || got != tt.want {
					t.Fatalf("mode in force %q %v, want %q", got, err, tt.want)
				}
				_, regErr := svc.Register(ctx, registry.RegisterParams{Subject: "s", Schema: avroRecord(fieldID)})
				_, cfgErr := svc.SetConfig(ctx, "s", registry.Config{Compatibility: &full})
				if tt.want == registry.ReadWrite {
					if regErr != nil || cfgErr != nil {
						t.Fatalf("writable subject refused: %v, %v", regErr, cfgErr)
					}
					return
				}
				wantCode(t, regErr, srapi.CodeOperationNotPermitted)
				wantCode(t, cfgErr, srapi.CodeOperationNotPermitted)
				_, err = svc.DeleteConfig(ctx, "s")
				wantCode(t, err, srapi.CodeOperationNotPermitted)
				_, err = svc.DeleteSubject(ctx, "s", false)
				wantCode(t, err, srapi.CodeOperationNotPermitted)
			})
		}
		// Mode writes stay allowed, or nobody could leave a read-only mode.
		if _, err := svc.DeleteMode(ctx, "s"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetMode(ctx, "", registry.ReadWrite, false); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImportReusesFreedIDsAndTexts(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		if _, err := svc.SetMode(ctx, "", registry.Import, false); err != nil {
			t.Fatal(err)
		}
		imp := func(subject string, in registry.SchemaInput, id int) (*registry.SubjectVersion, error) {
			return svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in, ID: id})
		}
		purge := func(subject string) {
			t.Helper()
			if _, err := svc.DeleteSubject(ctx, subject, false); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.DeleteSubject(ctx, subject, true); err != nil {
				t.Fatal(err)
			}
		}
		a, b := avroRecord(fieldID), avroRecord(fieldPrice)
		if _, err := imp("a", a, 10); err != nil {
			t.Fatal(err)
		}
		// While a version (even soft-deleted) uses id 10, it names a only.
		if _, err := svc.DeleteSubject(ctx, "a", false); err != nil {
			t.Fatal(err)
		}
		_, err := imp("b", b, 10)
		wantCode(t, err, srapi.CodeOperationNotPermitted)
		_, err = imp("b", a, 11)
		wantCode(t, err, srapi.CodeOperationNotPermitted)

		// Once no version uses it, the id is free for another schema...
		if _, err := svc.DeleteSubject(ctx, "a", true); err != nil {
			t.Fatal(err)
		}
		if v, err := imp("b", b, 10); err != nil || v.SchemaID != 10 {
			t.Fatalf("import into a freed id: %+v %v", v, err)
		}
		got, err := svc.SchemaByID(ctx, "", 10)
		if err != nil || got.Text != b.Text {
			t.Fatalf("id 10 = %+v %v, want the new schema", got, err)
		}
		// ... and a freed text takes another id.
		purge("b")
		if v, err := imp("c", b, 12); err != nil || v.SchemaID != 12 {
			t.Fatalf("import of a freed text: %+v %v", v, err)
		}
		_, err = svc.SchemaByID(ctx, "", 10)
		wantCode(t, err, srapi.CodeSchemaNotFound)
		if _, err := svc.SetMode(ctx, "", registry.ReadWrite, false); err != nil {
			t.Fatal(err)
		}
		// Outside IMPORT the same text registers under its current id.
		if v := register(t, svc, "d", b); v.SchemaID != 12 {
			t.Fatalf("registration after import: id %d, want 12", v.SchemaID)
		}
	})
}

func TestConfig(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		global, err := svc.Config(ctx, "", false)
		if err != nil || *global.Compatibility != compat.Backward {
			t.Fatalf("global default %v %v", global, err)
		}
		_, err = svc.Config(ctx, "s", false)
		wantCode(t, err, srapi.CodeSubjectCompatNotSet)
		inherited, err := svc.Config(ctx, "s", true)
		if err != nil || *inherited.Compatibility != compat.Backward {
			t.Fatalf("defaultToGlobal %v %v", inherited, err)
		}
		full := compat.Full
		if _, err := svc.SetConfig(ctx, "s", registry.Config{Compatibility: &full}); err != nil {
			t.Fatal(err)
		}
		on := true
		if _, err := svc.SetConfig(ctx, "s", registry.Config{AdditiveOnly: &on}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Config(ctx, "s", false)
		if err != nil || *got.Compatibility != compat.Full || !*got.AdditiveOnly {
			t.Fatalf("setting one field reset another: %+v %v", got, err)
		}
		bad := compat.Level("SIDEWAYS")
		_, err = svc.SetConfig(ctx, "s", registry.Config{Compatibility: &bad})
		wantCode(t, err, srapi.CodeInvalidCompatibilityLevel)
		if _, err := svc.DeleteConfig(ctx, "s"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Config(ctx, "s", false)
		wantCode(t, err, srapi.CodeSubjectCompatNotSet)
	})
}

// TestConcurrentWriters registers from many goroutines into few subjects:
// versions must be gapless and ids unique.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		none := compat.None
		if _, err := svc.SetConfig(ctx, "", registry.Config{Compatibility: &none}); err != nil {
			t.Fatal(err)
		}
		const writers, each = 16, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		ids := make(chan int, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					subject := fmt.Sprintf("s%d", (w+i)%3)
					in := avroRecord(fmt.Sprintf(`{"name":"f_%d_%d","type":"int","default":0}`, w, i))
					v, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in})
					if err != nil {
						errs <- err
						continue
					}
					ids <- v.SchemaID
				}
			}()
		}
		wg.Wait()
		close(errs)
		close(ids)
		for err := range errs {
			t.Error(err)
		}
		seen := map[int]bool{}
		for id := range ids {
			if seen[id] {
				t.Errorf("id %d handed out twice", id)
			}
			seen[id] = true
		}
		total := 0
		for s := range 3 {
			vs, err := svc.Versions(ctx, registry.VersionsParams{Subject: fmt.Sprintf("s%d", s)})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vs {
				if v != i+1 {
					t.Fatalf("subject s%d versions %v have a gap", s, vs)
				}
			}
			total += len(vs)
		}
		if total != writers*each {
			t.Fatalf("%d versions, want %d", total, writers*each)
		}
	})
}
