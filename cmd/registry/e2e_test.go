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

	resp, err := http.Post(base+"/subjects/e2e-value/versions", "application/vnd.schemaregistry.v1+json",
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
	dir := t.TempDir()
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "applied 00001_init.sql"},
		{[]string{"migrate", "up"}, "database is up to date"},
		{[]string{"migrate", "status"}, "00001_init.sql"},
		{[]string{"migrate", "down"}, "rolled back 0000"},
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "applied 0000"},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		args := append(s.args, "--data-dir", dir)
		if code := run(context.Background(), args, envMap(nil), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", s.args, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), s.want) {
			t.Fatalf("%v: output %q, want it to mention %q", s.args, stdout.String(), s.want)
		}
	}
}

func TestMigratePostgres(t *testing.T) {
	t.Parallel()
	// pgtest hands out a migrated schema of its own; point the command at
	// it through the URL's search_path.
	env := envMap(map[string]string{"REGISTRY_DATABASE_URL": pgtest.SchemaURL(t, pgtest.NewPool(t))})

	for _, s := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "up"}, "database is up to date"},
		{[]string{"migrate", "down"}, "rolled back 0000"},
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "applied 0000"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), s.args, env, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", s.args, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), s.want) {
			t.Fatalf("%v: output %q, want it to mention %q", s.args, stdout.String(), s.want)
		}
	}
}
