package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

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

// TestServerStores serves each backend both ways: opened by the server
// from its configuration (a data directory, a database URL), and injected.
func TestServerStores(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		for _, tt := range []struct {
			name string
			opt  func(t *testing.T) servertest.Option
		}{
			{"OpenedFromTheConfig", func(t *testing.T) servertest.Option { return servertest.WithConfig(b.Config(t)) }},
			{"Injected", func(t *testing.T) servertest.Option { return servertest.WithBackend(b) }},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				s := servertest.Start(t, tt.opt(t))
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
	})
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
			s := servertest.Start(t, servertest.WithConfig(server.Config{ConfluentDefaults: tt.confluent}))
			if status, body := get(t, s.URL(), "/config"); status != 200 || body != tt.want {
				t.Errorf("GET /config = %d %s, want %s", status, body, tt.want)
			}
		})
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &servertest.LogBuffer{}
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
	s, err := server.New(context.Background(), server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()}, server.WithLogger(slog.New(slog.DiscardHandler)))
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
		{"ClockOffsetNotAllowed", server.Config{ClockOffset: 200 * 24 * time.Hour}, "clock offset 200d shifts every date"},
		{"TinyCacheBudget", server.Config{CacheBytes: 4096}, "invalid cache bytes"},
		{"NegativeCacheBudget", server.Config{CacheBytes: -1}, "invalid cache bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.DataDir = t.TempDir()
			_, err := server.New(context.Background(), tt.cfg, server.WithLogger(slog.New(slog.DiscardHandler)))
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
	a := servertest.Start(t)
	b, err := server.New(context.Background(), server.Config{Listen: a.Addr(), DataDir: t.TempDir()}, server.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Shutdown(context.Background()) }()
	if err := b.Start(); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("Start on a busy port: %v", err)
	}
}

// TestClockOffset: a registry started with an allowed clock offset warns
// at start and dates what it records by its shifted clock, over HTTP.
func TestClockOffset(t *testing.T) {
	t.Parallel()
	const offset = 200 * 24 * time.Hour
	r := servertest.Start(t, servertest.WithConfig(server.Config{ClockOffset: offset, AllowClockOffset: true}))
	if logs := r.Logs.String(); !strings.Contains(logs, `"level":"WARN","msg":"REGISTRY CLOCK SHIFTED`) || !strings.Contains(logs, `"clock_offset":"200d"`) {
		t.Errorf("no start warning naming the offset in the logs:\n%s", logs)
	}
	post := func(path, body string) string {
		t.Helper()
		resp, err := http.Post(r.URL()+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	post("/subjects/orders-value/versions", `{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}"}`)
	before := time.Now().Add(offset)
	var d struct {
		Since time.Time `json:"since"`
	}
	if err := json.Unmarshal([]byte(post("/v1/deprecations", `{"subject":"orders-value","reason":"demo"}`)), &d); err != nil {
		t.Fatal(err)
	}
	if d.Since.Before(before.Add(-time.Minute)) || d.Since.After(time.Now().Add(offset).Add(time.Minute)) {
		t.Errorf("deprecation dated %s, want about %s (the shifted clock)", d.Since, before)
	}
}

func TestParseOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"200d", 200 * 24 * time.Hour, false},
		{"-30d", -30 * 24 * time.Hour, false},
		{"36h", 36 * time.Hour, false},
		{"0d", 0, false},
		{"d", 0, true},
		{"1.5d", 0, true},
		{"99999999d", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		got, err := server.ParseOffset(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseOffset(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if err == nil {
			if back, _ := server.ParseOffset(server.FormatOffset(got)); back != got {
				t.Errorf("FormatOffset(%v) = %q does not parse back", got, server.FormatOffset(got))
			}
		}
	}
}
