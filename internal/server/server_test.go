package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// get fetches base+path and returns status and body.
func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// start assembles and starts a server, shutting it down at the end of
// the test.
func start(t *testing.T, cfg server.Config, opts ...server.Option) *server.Server {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	s, err := server.New(context.Background(), cfg, append([]server.Option{server.WithLogger(quietLogger())}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

func TestServerStores(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  func(t *testing.T) server.Config
		opts func(t *testing.T) []server.Option
	}{
		{
			name: "EmbeddedStoreUnderDataDir",
			cfg:  func(t *testing.T) server.Config { return server.Config{DataDir: t.TempDir()} },
		},
		{
			name: "PostgresFromDatabaseURL",
			cfg:  func(t *testing.T) server.Config { return server.Config{DatabaseURL: schemaURL(t)} },
		},
		{
			name: "InjectedStore",
			opts: func(t *testing.T) []server.Option { return []server.Option{server.WithStore(pgtest.NewStore(t))} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cfg server.Config
			if tt.cfg != nil {
				cfg = tt.cfg(t)
			}
			var opts []server.Option
			if tt.opts != nil {
				opts = tt.opts(t)
			}
			s := start(t, cfg, opts...)
			if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || strings.HasSuffix(s.Addr(), ":0") {
				t.Fatalf("URL %q, Addr %q: want the bound loopback port", s.URL(), s.Addr())
			}
			resp, err := http.Post(s.URL()+"/subjects/s-value/versions", "application/json", strings.NewReader(`{"schema":"\"string\""}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("register: status %d", resp.StatusCode)
			}
			if status, body := get(t, s.URL(), "/subjects"); status != 200 || body != `["s-value"]` {
				t.Errorf("GET /subjects = %d %s", status, body)
			}
		})
	}
}

// schemaURL returns the test database URL pointed at a fresh, migrated
// schema of its own.
func schemaURL(t *testing.T) string {
	t.Helper()
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
	return u.String()
}

func TestDefaultsFlag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		confluent bool
		want      string
	}{
		{"ShippedDefaultIsAdditive", false, `{"compatibilityLevel":"BACKWARD","additiveOnly":true,"normalize":false,"minDeprecationDays":30,"consumerBreakage":"reject"}`},
		{"ConfluentDefaultsArePlainBackward", true, `{"compatibilityLevel":"BACKWARD","additiveOnly":false,"normalize":false,"minDeprecationDays":30,"consumerBreakage":"reject"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start(t, server.Config{DataDir: t.TempDir(), ConfluentDefaults: tt.confluent})
			if status, body := get(t, s.URL(), "/config"); status != 200 || body != tt.want {
				t.Errorf("GET /config = %d %s, want %s", status, body, tt.want)
			}
		})
	}
}

// syncBuffer is a log sink the server and the test share.
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

func TestRunStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()},
			server.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "registry listening") {
		if time.Now().After(deadline) {
			t.Fatalf("Run did not start; logs:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if !strings.Contains(logs.String(), "registry stopped") {
		t.Errorf("no shutdown log:\n%s", logs.String())
	}
}

func TestShutdownRefusesNewConnections(t *testing.T) {
	t.Parallel()
	s, err := server.New(context.Background(), server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()}, server.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	base := s.URL()
	if status, _ := get(t, base, "/"); status != 200 {
		t.Fatalf("GET / = %d", status)
	}
	if err := s.Start(); err == nil {
		t.Error("a second Start succeeded")
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("server still answers after Shutdown")
	}
	if err, ok := <-s.Errors(); ok || err != nil {
		t.Errorf("Errors() = %v, %v; want closed without error", err, ok)
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     server.Config
		wantErr string
	}{
		{"BadLogLevel", server.Config{LogLevel: "loud"}, "invalid log level"},
		{"BadLogFormat", server.Config{LogFormat: "xml"}, "invalid log format"},
		{"NegativeBodyLimit", server.Config{MaxBodyBytes: -1}, "invalid max body bytes"},
		{"NegativeTimeout", server.Config{WriteTimeout: -time.Second}, "invalid write timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.DataDir = t.TempDir()
			_, err := server.New(context.Background(), tt.cfg, server.WithLogger(quietLogger()))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New: %v, want an error mentioning %q", err, tt.wantErr)
			}
		})
	}
	if err := (server.Config{}).WithDefaults().Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestListenFailureIsReported(t *testing.T) {
	t.Parallel()
	a := start(t, server.Config{DataDir: t.TempDir()})
	b, err := server.New(context.Background(), server.Config{Listen: a.Addr(), DataDir: t.TempDir()}, server.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Shutdown(context.Background()) }()
	if err := b.Start(); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("Start on a busy port: %v", err)
	}
}
