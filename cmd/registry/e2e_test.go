package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// syncBuffer is a bytes.Buffer safe for the server's logger and the test
// to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// listeningAddr waits for the server's "registry listening" log line and
// returns the address it names.
func listeningAddr(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(logs.String(), "\n") {
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "registry listening" {
				return rec.Addr
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("server did not report listening; logs:\n%s", logs.String())
	return ""
}

// TestServeUntilCancelled runs the real entry point on a free port,
// registers a schema over HTTP and stops it as SIGTERM would.
func TestServeUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--confluent-defaults"}, envMap(nil), &stdout, logs)
	}()
	base := "http://" + listeningAddr(t, logs)

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
	pool := pgtest.NewPool(t)
	var schema string
	if err := pool.QueryRow(context.Background(), "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pgtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	env := envMap(map[string]string{"REGISTRY_DATABASE_URL": u.String()})

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
