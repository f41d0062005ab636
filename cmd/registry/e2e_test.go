package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// TestServeUntilCancelled runs the real entry point on a free port,
// registers a schema over HTTP and stops it as SIGTERM would.
func TestServeUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	logs := &servertest.LogBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--confluent-defaults"}, envMap(nil), &stdout, logs)
	}()
	base := "http://" + logs.WaitListening(t, 10*time.Second)

	resp, err := http.Post(base+"/subjects/e2e-value/versions", srapi.ContentType,
		strings.NewReader(`{"schema":"\"string\""}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(base + "/config")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"additiveOnly":false`) {
		t.Errorf("--confluent-defaults: GET /config = %s, want additiveOnly false", body)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d; logs:\n%s", code, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop after its context ended")
	}
	if !strings.Contains(logs.String(), "registry stopped") {
		t.Errorf("no shutdown log:\n%s", logs.String())
	}
}

func TestMigrateEmbeddedStore(t *testing.T) {
	t.Parallel()
	dataDir := []string{"--data-dir", t.TempDir()}
	runMigrateSteps(t, envMap(nil), dataDir, []migrateStep{
		{"status", "pending"},
		{"up", "applied 00001_init.sql"},
		{"up", "database is up to date"},
		{"status", "00001_init.sql"},
		{"down", "rolled back 0000"},
		{"status", "pending"},
		{"up", "applied 0000"},
	})
}

func TestMigratePostgres(t *testing.T) {
	t.Parallel()
	// pgtest hands out a migrated schema of its own; point the command at
	// it through the URL's search_path.
	env := envMap(map[string]string{"REGISTRY_DATABASE_URL": pgtest.SchemaURL(t, pgtest.NewPool(t))})
	runMigrateSteps(t, env, nil, []migrateStep{
		{"up", "database is up to date"},
		{"down", "rolled back 0000"},
		{"status", "pending"},
		{"up", "applied 0000"},
	})
}

// migrateStep is one "migrate" subcommand and what its output mentions.
type migrateStep struct {
	sub  string
	want string
}

// runMigrateSteps runs "migrate <sub>" for each step in order, with env
// and extra flags, and fails at the first step that exits non-zero or
// does not mention its want.
func runMigrateSteps(t *testing.T, env lookupEnv, extra []string, steps []migrateStep) {
	t.Helper()
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		args := append([]string{"migrate", s.sub}, extra...)
		if code := run(context.Background(), args, env, &stdout, &stderr); code != 0 {
			t.Fatalf("migrate %s: exit %d: %s", s.sub, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), s.want) {
			t.Fatalf("migrate %s: output %q, want it to mention %q", s.sub, stdout.String(), s.want)
		}
	}
}
