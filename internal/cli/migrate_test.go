package cli

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

const (
	moneySchema   = `{"type":"record","name":"Money","namespace":"shop","fields":[{"name":"units","type":"long"}]}`
	orderSchemaV1 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":"shop.Money"}]}`
	orderSchemaV2 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"price","type":"shop.Money"},{"name":"note","type":"string","default":""}]}`
	protoSchema   = "syntax = \"proto3\";\npackage shop.v1;\n\nmessage Ping {\n  string id = 1;\n}\n"
	jsonSchema    = `{"type":"object","properties":{"id":{"type":"string"}}}`
	// refusedText is what Confluent keeps (Avro Java ignores the invalid
	// decimal) and this registry's validation refuses, pretty-printed as
	// another registry might answer it.
	refusedText = "{\n  \"type\": \"record\", \"name\": \"Rate\",\n  \"fields\": [{\"name\": \"r\", \"type\": {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 2, \"scale\": 5}}]\n}"
	refusedID   = 500
	// refusedProto and refusedJSON are what their compilers accept and
	// this registry's own marker checks refuse (a malformed deprecation).
	refusedProto = "syntax = \"proto3\";\npackage shop.v1;\n\nmessage Rate {\n  // @sunset whenever\n  string r = 1 [deprecated = true];\n}\n"
	refusedJSON  = `{"type":"object","properties":{"r":{"type":"string","deprecated":true,"x-deprecation":"whenever"}}}`
)

func avroField(name string) string {
	return `{"type":"record","name":"R","fields":[{"name":"` + name + `","type":"int"}]}`
}

// seedSource fills a registry with what a copy must carry: references,
// three formats, soft-deleted versions, a schema soft-deleted and then
// registered again, a gap left by a permanent delete, subject config and
// mode, a consumer, a deprecation record, and (through the store, since
// the API refuses it) a schema only Avro Java accepts.
func seedSource(t *testing.T, src *servertest.Registry, opts ...client.Option) {
	t.Helper()
	ctx := context.Background()
	c := clientOf(t, src.URL(), opts...)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := func(subject string, s client.Schema) {
		t.Helper()
		_, err := c.Register(ctx, subject, s, nil)
		must(err)
	}
	reg("money", client.Schema{Schema: moneySchema})
	ref := []client.Reference{{Name: "shop.Money", Subject: "money", Version: 1}}
	reg("orders-value", client.Schema{Schema: orderSchemaV1, References: ref})
	reg("orders-value", client.Schema{Schema: orderSchemaV2, References: ref})
	reg("pings-value", client.Schema{Schema: protoSchema, SchemaType: client.TypeProtobuf})
	reg("events-value", client.Schema{Schema: jsonSchema, SchemaType: client.TypeJSON})
	_, err := c.SetConfig(ctx, "gaps", client.ConfigUpdate{Compatibility: "NONE"})
	must(err)
	for _, f := range []string{"a", "b", "c"} {
		reg("gaps", client.Schema{Schema: avroField(f)})
	}
	_, err = c.DeleteVersion(ctx, "gaps", 2, nil)
	must(err)
	_, err = c.DeleteVersion(ctx, "gaps", 2, &client.DeleteOptions{Permanent: true})
	must(err)
	reg("gaps", client.Schema{Schema: avroField("d")}) // version 4
	_, err = c.DeleteVersion(ctx, "gaps", 3, nil)
	must(err)
	// Soft-deleted, then registered again: the same id under version 2.
	reg("again", client.Schema{Schema: avroField("x")})
	_, err = c.DeleteVersion(ctx, "again", 1, nil)
	must(err)
	reg("again", client.Schema{Schema: avroField("x")})
	_, err = c.SetConfig(ctx, "orders-value", client.ConfigUpdate{Compatibility: "FULL"})
	must(err)
	reg("frozen", client.Schema{Schema: avroField("f")})
	_, err = c.SetMode(ctx, "frozen", client.ModeReadOnly, nil)
	must(err)
	_, _, err = c.PutConsumer(ctx, srapi.Consumer{Name: "etl", Owner: "data", Reads: []srapi.ConsumerRead{{Subject: "orders-value", Fields: []string{"price"}}}})
	must(err)
	_, _, err = c.Deprecate(ctx, srapi.Deprecation{Subject: "orders-value", Path: "note", Reason: "unused", Sunset: "2030-01-01"}, nil)
	must(err)

	err = src.Store.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		for i, r := range []struct {
			subject string
			format  schema.Format
			text    string
		}{
			{"rates", schema.Avro, refusedText},
			{"rates-proto", schema.Protobuf, refusedProto},
			{"rates-json", schema.JSON, refusedJSON},
		} {
			sch, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{ID: refusedID + i, Schema: registry.Schema{
				Format: r.format, Text: r.text, Fingerprint: "seeded-refused-" + r.subject,
			}})
			if err != nil {
				return err
			}
			if _, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: r.subject, Version: 1, SchemaID: sch.ID, CreatedAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	must(err)
}

// assertContexts ends the test unless c lists exactly the contexts want;
// what names the list in the failure.
func assertContexts(t *testing.T, c *client.Client, what string, want ...string) {
	t.Helper()
	if cs, err := c.Contexts(context.Background()); err != nil || !slices.Equal(cs, want) {
		t.Fatalf("%s: %v %v", what, cs, err)
	}
}

// startSource starts a Confluent-mode registry on the embedded store,
// seeded; startTarget one of ours on PostgreSQL.
func startSource(t *testing.T) *servertest.Registry {
	t.Helper()
	src := servertest.Start(t, servertest.WithBackend(servertest.SQLite), servertest.WithConfig(server.Config{ConfluentDefaults: true}))
	seedSource(t, src)
	return src
}

func TestMigrateCopiesEverythingAndVerifies(t *testing.T) {
	t.Parallel()
	src := startSource(t)
	dst := servertest.Start(t, servertest.WithBackend(servertest.PostgreSQL))
	e := env{EnvRegistry: dst.URL()}
	dir := t.TempDir()

	dry := schemactl(t, dir, e, "migrate", "--from", src.URL(), "--dry-run")
	if dry.code != ExitOK || !strings.Contains(dry.stdout, "import orders-value version 2") ||
		!strings.Contains(dry.stdout, "then soft-delete it") || !strings.Contains(dry.stdout, "set the mode of subject \"frozen\" to READONLY") {
		t.Fatalf("dry run: %s", dry)
	}
	c := clientOf(t, dst.URL())
	ctx := context.Background()
	if subs, err := c.Subjects(ctx, &client.SubjectsOptions{Deleted: true}); err != nil || len(subs) != 0 {
		t.Fatalf("the dry run changed the target: %v %v", subs, err)
	}

	r := schemactl(t, dir, e, "migrate", "--from", src.URL())
	if r.code != ExitOK {
		t.Fatalf("migrate: %s", r)
	}
	for _, want := range []string{
		"copied: 14 versions imported, 2 soft-deleted",
		"verification: 14 versions compared, no difference",
		"rates version 1 (id 500) is copied as it is, though this registry's validation refuses it",
		"rates-proto version 1 (id 501) is copied as it is, though this registry's validation refuses it",
		"rates-json version 1 (id 502) is copied as it is, though this registry's validation refuses it",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r)
		}
	}

	// The refused schemas, byte for byte with their ids.
	for i, text := range []string{refusedText, refusedProto, refusedJSON} {
		got, err := c.SchemaByID(ctx, refusedID+i)
		if err != nil || got.Schema != text {
			t.Fatalf("schema %d: %v %+v", refusedID+i, err, got)
		}
	}
	// The gap, and the soft-deleted version 3, are kept.
	if vs, err := c.Versions(ctx, "gaps", &client.VersionsOptions{Deleted: true}); err != nil || !slices.Equal(vs, []int{1, 3, 4}) {
		t.Fatalf("gaps versions: %v %v", vs, err)
	}
	if vs, err := c.Versions(ctx, "gaps", nil); err != nil || !slices.Equal(vs, []int{1, 4}) {
		t.Fatalf("gaps live versions: %v %v", vs, err)
	}
	if vs, err := c.Versions(ctx, "again", nil); err != nil || !slices.Equal(vs, []int{2}) {
		t.Fatalf("again live versions: %v %v", vs, err)
	}
	if m, err := c.Mode(ctx, "frozen", nil); err != nil || m != client.ModeReadOnly {
		t.Fatalf("frozen mode: %q %v", m, err)
	}
	if m, err := c.Mode(ctx, "", nil); err != nil || m != client.ModeReadWrite {
		t.Fatalf("global mode after the copy: %q %v", m, err)
	}
	if cfg, err := c.Config(ctx, "orders-value", nil); err != nil || cfg.CompatibilityLevel != "FULL" {
		t.Fatalf("orders-value config: %+v %v", cfg, err)
	}
	if cons, err := c.Consumers(ctx, nil); err != nil || len(cons) != 1 || cons[0].Name != "etl" {
		t.Fatalf("consumers: %+v %v", cons, err)
	}
	// The copy registers as its source does: the next version of a
	// subject follows the highest one, and lookups find imported texts.
	if sv, err := c.Lookup(ctx, "rates", client.Schema{Schema: refusedText}, nil); err != nil || sv.ID != refusedID {
		t.Fatalf("lookup of the refused schema: %+v %v", sv, err)
	}

	again := schemactl(t, dir, e, "migrate", "--from", src.URL())
	if again.code != ExitOK || !strings.Contains(again.stdout, "plan: nothing to copy") ||
		!strings.Contains(again.stdout, "copied: 0 versions imported, 0 soft-deleted, 0 configs, 0 modes") {
		t.Fatalf("second run: %s", again)
	}

	// Tamper with the target: a live version soft-deleted there cannot
	// be repaired by a copy, and the verification says so.
	if _, err := c.DeleteVersion(ctx, "pings-value", 1, nil); err != nil {
		t.Fatal(err)
	}
	tampered := schemactl(t, dir, e, "migrate", "--from", src.URL())
	if tampered.code != ExitBreaking || !strings.Contains(tampered.stdout, "conflict: pings-value version 1") ||
		!strings.Contains(tampered.stdout, "difference: pings-value version 1") {
		t.Fatalf("tampered target: %s", tampered)
	}
}

// TestMigrateResumesAfterAPartialCopy: a target holding part of the
// source (an interrupted run) gets only the rest.
func TestMigrateResumesAfterAPartialCopy(t *testing.T) {
	t.Parallel()
	src := startSource(t)
	dst := servertest.Start(t, servertest.WithBackend(servertest.SQLite))
	ctx := context.Background()
	c := clientOf(t, dst.URL())
	if _, err := c.SetMode(ctx, "", client.ModeImport, &client.SetModeOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, "money", client.RegisterRequest{Schema: moneySchema, ID: 1, Version: 1}); err != nil {
		t.Fatal(err)
	}
	// Left in IMPORT, as an interrupted copy leaves it.
	r := schemactl(t, t.TempDir(), env{EnvRegistry: dst.URL()}, "migrate", "--from", src.URL())
	if r.code != ExitOK || !strings.Contains(r.stdout, "copied: 13 versions imported") {
		t.Fatalf("migrate: %s", r)
	}
	if m, err := c.Mode(ctx, "", nil); err != nil || m != client.ModeReadWrite {
		t.Fatalf("global mode: %q %v", m, err)
	}
	// Left in IMPORT with everything copied: the run only leaves IMPORT.
	if _, err := c.SetMode(ctx, "", client.ModeImport, &client.SetModeOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	r = schemactl(t, t.TempDir(), env{EnvRegistry: dst.URL()}, "migrate", "--from", src.URL())
	if r.code != ExitOK || !strings.Contains(r.stdout, "plan: nothing to copy") {
		t.Fatalf("second run: %s", r)
	}
	if m, err := c.Mode(ctx, "", nil); err != nil || m != client.ModeReadWrite {
		t.Fatalf("global mode after a run with nothing to copy: %q %v", m, err)
	}
}

// TestMigrateCopiesContexts: every context of the source is copied with
// its own ids, references resolving in their context and context-level
// config; --skip-contexts copies the default context only.
func TestMigrateCopiesContexts(t *testing.T) {
	t.Parallel()
	src := startSource(t)
	sc := clientOf(t, src.URL())
	ctx := context.Background()
	type reg struct {
		subject, text string
		refs          []srapi.Reference
	}
	ids := map[string]int{}
	for _, r := range []reg{
		{":.staging:address", avroField("street"), nil},
		{":.staging:orders", `{"type":"record","name":"Order","fields":[{"name":"a","type":"R"}]}`,
			[]srapi.Reference{{Name: "R", Subject: "address", Version: 1}}},
		{":.prod:orders", avroField("p"), nil},
	} {
		sv, err := sc.Register(ctx, r.subject, client.Schema{Schema: r.text, References: r.refs}, nil)
		if err != nil {
			t.Fatalf("register %s: %v", r.subject, err)
		}
		ids[r.subject] = sv.ID
	}
	if _, err := sc.SetConfig(ctx, ":.prod:", client.ConfigUpdate{Compatibility: "FULL"}); err != nil {
		t.Fatal(err)
	}

	skip := servertest.Start(t, servertest.WithBackend(servertest.SQLite))
	r := schemactl(t, t.TempDir(), env{EnvRegistry: skip.URL()}, "migrate", "--from", src.URL(), "--skip-contexts")
	if r.code != ExitOK || !strings.Contains(r.stdout, "context-qualified subjects are not copied") {
		t.Fatalf("with --skip-contexts: %s", r)
	}
	skc := clientOf(t, skip.URL())
	assertContexts(t, skc, "contexts after --skip-contexts", ".")

	dst := servertest.Start(t, servertest.WithBackend(servertest.PostgreSQL))
	r = schemactl(t, t.TempDir(), env{EnvRegistry: dst.URL()}, "migrate", "--from", src.URL())
	if r.code != ExitOK || !strings.Contains(r.stdout, "no difference") {
		t.Fatalf("migrate: %s", r)
	}
	dc := clientOf(t, dst.URL())
	assertContexts(t, dc, "target contexts", ".", ".prod", ".staging")
	for subject, id := range ids {
		got, err := dc.Version(ctx, subject, -1, nil)
		if err != nil || got.ID != id {
			t.Errorf("%s on the target: %+v %v; want id %d", subject, got, err, id)
		}
		byID, err := dc.SchemaByIDIn(ctx, subject, id)
		if err != nil || byID.Schema != got.Schema.Schema {
			t.Errorf("id %d in the context of %s: %+v %v", id, subject, byID, err)
		}
	}
	if cfg, err := dc.Config(ctx, ":.prod:", nil); err != nil || cfg.CompatibilityLevel != "FULL" {
		t.Fatalf("context config on the target: %+v %v", cfg, err)
	}
}

func TestMigrateUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NoSource", []string{"migrate", "--registry", "http://127.0.0.1:1"}, "--from is required"},
		{"SameRegistry", []string{"migrate", "--from", "http://127.0.0.1:1", "--to", "http://127.0.0.1:1"}, "the same registry"},
		{"SourceUnreachable", []string{"migrate", "--from", "http://127.0.0.1:1", "--to", "http://127.0.0.1:2", "--timeout", "1s"}, "unreachable"},
		{"BadParallel", []string{"migrate", "--from", "http://127.0.0.1:1", "--to", "http://127.0.0.1:2", "--parallel", "0"}, "--parallel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := schemactl(t, t.TempDir(), env{}, tt.args...)
			code := ExitUsage
			if tt.name == "SourceUnreachable" {
				code = ExitRegistry
			}
			if r.code != code || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("%s", r)
			}
		})
	}
}

// TestMigrateShowsProgressOnATerminalOnly: the import count is drawn on a
// terminal, and absent from output that is not one (the other tests).
func TestMigrateShowsProgressOnATerminalOnly(t *testing.T) {
	t.Parallel()
	src := startSource(t)
	dst := servertest.Start(t)
	var stdout, stderr strings.Builder
	code := RunWith(context.Background(), []string{"migrate", "--from", src.URL()}, Options{
		Stdout: &stdout, Stderr: &stderr, Dir: t.TempDir(),
		Getenv:     func(k string) string { return map[string]string{EnvRegistry: dst.URL()}[k] },
		IsTerminal: func(io.Writer) bool { return true },
	})
	if code != ExitOK || !strings.Contains(stdout.String(), "\rimporting: 14/14 versions\n") {
		t.Fatalf("exit %d\n%q\n%s", code, stdout.String(), stderr.String())
	}
	fresh := servertest.Start(t)
	plain := schemactl(t, t.TempDir(), env{EnvRegistry: fresh.URL()}, "migrate", "--from", src.URL())
	if plain.code != ExitOK || !strings.Contains(plain.stdout, "copied: 14 versions") || strings.Contains(plain.stdout, "importing:") {
		t.Fatalf("not a terminal: %s", plain)
	}
}

// TestMigrateWithCredentialsOnBothSides: the source's credentials come
// from $SCHEMACTL_FROM_*, the target's from the usual variables; a reader
// grant suffices on the source.
func TestMigrateWithCredentialsOnBothSides(t *testing.T) {
	t.Parallel()
	seeder := servertest.User{Name: "seeder", Password: "pw-seeder", Grants: []string{"admin:*"}}
	bob := servertest.User{Name: "bob", Password: "pw-bob", Grants: []string{"reader:*"}}
	src := servertest.Start(t, servertest.WithBackend(servertest.SQLite), servertest.WithConfig(server.Config{ConfluentDefaults: true}),
		servertest.WithAuth([]servertest.User{seeder, bob}, ""))
	seedSource(t, src, client.WithBasicAuth(seeder.Name, seeder.Password))
	carol := servertest.User{Name: "carol", Password: "pw-carol", Grants: []string{"admin:*"}}
	dst := servertest.Start(t, servertest.WithAuth([]servertest.User{carol}, ""))
	e := env{EnvRegistry: dst.URL(), EnvUser: carol.Name, EnvPassword: carol.Password}

	r := schemactl(t, t.TempDir(), e, "migrate", "--from", src.URL())
	if r.code != ExitUsage || !strings.Contains(r.stderr, "401") {
		t.Fatalf("without the source's credentials: %s", r)
	}
	e[EnvFromUser], e[EnvFromPassword] = bob.Name, bob.Password
	r = schemactl(t, t.TempDir(), e, "migrate", "--from", src.URL())
	if r.code != ExitOK || !strings.Contains(r.stdout, "verification: 14 versions compared, no difference") {
		t.Fatalf("with credentials: %s", r)
	}
}
