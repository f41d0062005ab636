package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

func TestBackupAndRestoreOnANewDatabase(t *testing.T) {
	t.Parallel()
	src := startSource(t)
	dir := t.TempDir()
	r := schemactl(t, dir, env{EnvRegistry: src.URL()}, "backup", "--out", "registry.jsonl.gz")
	if r.code != ExitOK || !strings.Contains(r.stdout, "10 subjects, 14 versions (2 soft-deleted)") {
		t.Fatalf("backup: %s", r)
	}
	f, err := os.Open(filepath.Join(dir, "registry.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the .gz backup is not gzip: %v", err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(plain.String(), "\n")
	if !strings.HasPrefix(first, `{"format":"schemata-backup","version":1,`) {
		t.Fatalf("header line: %s", first)
	}
	if strings.Contains(plain.String(), "token") || !strings.Contains(plain.String(), `"kind":"consumer"`) {
		t.Fatalf("backup content:\n%s", plain.String())
	}

	dst := servertest.Start(t, servertest.WithBackend(servertest.PostgreSQL))
	e := env{EnvRegistry: dst.URL()}
	r = schemactl(t, dir, e, "restore", "--in", "registry.jsonl.gz")
	if r.code != ExitOK || !strings.Contains(r.stdout, "verification: 14 versions compared, no difference") {
		t.Fatalf("restore: %s", r)
	}
	c := clientOf(t, dst.URL())
	ctx := context.Background()
	if got, err := c.SchemaByID(ctx, refusedID); err != nil || got.Schema != refusedText {
		t.Fatalf("schema %d: %v %+v", refusedID, err, got)
	}
	if deps, err := c.Deprecations(ctx, nil); err != nil || len(deps) != 1 || deps[0].Path != "Order.note" {
		t.Fatalf("deprecations: %+v %v", deps, err)
	}
	r = schemactl(t, dir, e, "restore", "--in", "registry.jsonl.gz")
	if r.code != ExitOK || !strings.Contains(r.stdout, "plan: nothing to copy") {
		t.Fatalf("second restore: %s", r)
	}
	// A restore puts the global mode back too, even with nothing else
	// to do.
	if _, err := c.SetMode(ctx, "", client.ModeReadOnly, nil); err != nil {
		t.Fatal(err)
	}
	r = schemactl(t, dir, e, "restore", "--in", "registry.jsonl.gz")
	if r.code != ExitOK || !strings.Contains(r.stdout, "0 versions to import, 0 to soft-delete, 0 configs, 1 modes") {
		t.Fatalf("restore of the global mode: %s", r)
	}
	if m, err := c.Mode(ctx, "", nil); err != nil || m != client.ModeReadWrite {
		t.Fatalf("global mode: %q %v", m, err)
	}
	// A plain (not compressed) backup of the restored registry holds the
	// same lines after its header.
	r = schemactl(t, dir, e, "backup", "--out", "copy.jsonl")
	if r.code != ExitOK {
		t.Fatalf("backup of the copy: %s", r)
	}
	again, err := os.ReadFile(filepath.Join(dir, "copy.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := strings.Cut(plain.String(), "\n")
	_, got, _ := strings.Cut(string(again), "\n")
	if versionLines(got) != versionLines(want) {
		t.Fatalf("the copy's versions differ:\n%s\nwant\n%s", versionLines(got), versionLines(want))
	}
}

// versionLines keeps the version records of a backup.
func versionLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, `{"kind":"version"`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

const backupHeaderLine = `{"format":"schemata-backup","version":1,"createdAt":"2026-01-01T00:00:00Z"}`

func TestReadBackupRefusesWhatItDoesNotUnderstand(t *testing.T) {
	t.Parallel()
	version := `{"kind":"version","subject":"s","version":1,"id":1,"schema":{"schema":"\"int\""}}`
	tests := []struct {
		name, text, want string
	}{
		{"Empty", "", "empty file"},
		{"NoHeader", version, "not a schemata-backup file"},
		{"NewerFormat", `{"format":"schemata-backup","version":2,"createdAt":"2026-01-01T00:00:00Z"}`, "format version 2"},
		{"UnknownKind", backupHeaderLine + "\n" + `{"kind":"token"}`, `line 2: unknown record kind "token"`},
		{"UnknownField", backupHeaderLine + "\n" + `{"kind":"global","password":"x"}`, `line 2: json: unknown field "password"`},
		{"VersionTwice", backupHeaderLine + "\n" + version + "\n" + version, "line 3: s version 1 appears twice"},
		{"VersionWithoutID", backupHeaderLine + "\n" + `{"kind":"version","subject":"s","version":1,"schema":{"schema":"1"}}`, "line 2: a version record needs"},
		{"TwoValuesOnALine", backupHeaderLine + "\n" + `{"kind":"global"} {"kind":"global"}`, "line 2: more than one JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := readBackup(strings.NewReader(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// FuzzReadBackup: any file either reads, and then writes back to a file
// that reads the same, or is an error; it never panics.
func FuzzReadBackup(f *testing.F) {
	f.Add(backupHeaderLine + "\n" + `{"kind":"subject","subject":"s","mode":"READONLY"}` + "\n" +
		`{"kind":"version","subject":"s","version":2,"id":7,"deleted":true,"schema":{"schema":"\"int\"","references":[{"name":"n","subject":"t","version":1}]}}`)
	f.Add(backupHeaderLine + "\n" + `{"kind":"global","config":{"compatibilityLevel":"FULL"},"mode":"IMPORT"}`)
	f.Fuzz(func(t *testing.T, text string) {
		snap, _, err := readBackup(strings.NewReader(text))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := writeBackup(&buf, snap, "", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, _, err := readBackup(&buf)
		if err != nil {
			t.Fatalf("what was written does not read: %v\n%s", err, buf.String())
		}
		if n, diffs := compareSnapshots(snap, again, true); len(diffs) > 0 {
			t.Fatalf("%d versions, differences after a round trip: %v", n, diffs)
		}
	})
}

// TestBackupAndRestoreKeepContexts: a backup holds every context's
// subjects, ids and context-level config, and a restore puts them back
// in their contexts.
func TestBackupAndRestoreKeepContexts(t *testing.T) {
	t.Parallel()
	src := servertest.Start(t, servertest.WithBackend(servertest.SQLite))
	sc := clientOf(t, src.URL())
	ctx := context.Background()
	ids := map[string]int{}
	for _, subject := range []string{"orders", ":.eu:orders", ":.us:orders", ":.us:payments"} {
		sv, err := sc.Register(ctx, subject, client.Schema{Schema: avroField("f")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids[subject] = sv.ID
	}
	if ids[":.us:orders"] != 1 || ids[":.eu:orders"] != 1 {
		t.Fatalf("ids per context on the source: %v", ids)
	}
	if _, err := sc.SetMode(ctx, ":.eu:", client.ModeReadOnly, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := schemactl(t, dir, env{EnvRegistry: src.URL()}, "backup", "--out", "ctx.jsonl")
	if r.code != ExitOK {
		t.Fatalf("backup: %s", r)
	}
	dst := servertest.Start(t, servertest.WithBackend(servertest.PostgreSQL))
	r = schemactl(t, dir, env{EnvRegistry: dst.URL()}, "restore", "--in", "ctx.jsonl")
	if r.code != ExitOK || !strings.Contains(r.stdout, "verification: 4 versions compared, no difference") {
		t.Fatalf("restore: %s", r)
	}
	dc := clientOf(t, dst.URL())
	assertContexts(t, dc, "contexts after restore", ".", ".eu", ".us")
	for subject, id := range ids {
		if got, err := dc.SchemaByIDIn(ctx, subject, id); err != nil || got.Schema != avroField("f") {
			t.Errorf("id %d in the context of %s after restore: %+v %v", id, subject, got, err)
		}
	}
	if m, err := dc.Mode(ctx, ":.eu:", nil); err != nil || m != client.ModeReadOnly {
		t.Fatalf("mode of .eu after restore: %q %v", m, err)
	}
}
