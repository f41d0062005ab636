package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/internal/server"
)

// envMap is a test environment.
func envMap(m map[string]string) lookupEnv {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// captureConfig executes args and returns the config the server would
// have been started with.
func captureConfig(t *testing.T, args []string, env map[string]string) (server.Config, int, string) {
	t.Helper()
	var got server.Config
	var stdout, stderr bytes.Buffer
	code := execute(context.Background(), args, envMap(env), &stdout, &stderr,
		func(_ context.Context, cfg server.Config, _ *slog.Logger) error {
			got = cfg
			return nil
		})
	return got, code, stderr.String()
}

// startConfig executes args, which must start the server, and returns
// the config it would have been started with; file, when not empty, is
// the content of a config file given with --config.
func startConfig(t *testing.T, args []string, env map[string]string, file string) server.Config {
	t.Helper()
	got, code, stderr := captureConfig(t, withConfigFile(t, args, file), env)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	return got
}

// withConfigFile returns args with --config naming a file of content
// appended, or args alone when content is empty.
func withConfigFile(t *testing.T, args []string, content string) []string {
	t.Helper()
	if content == "" {
		return args
	}
	// Clipped: parallel subtests share the table's args.
	return append(slices.Clip(args), "--config", writeFile(t, "registry.yaml", content))
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFlagPrecedence(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "registry.yaml", `
listen: ":7000"
data-dir: /from/file
database-url: postgres://file
max-body-bytes: 1000
confluent-defaults: true
log-level: warn
read-timeout: 5s
`)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(c *server.Config)
	}{
		{
			name: "DefaultsWithoutAnything",
			want: func(c *server.Config) {},
		},
		{
			name: "FileOverridesDefaults",
			args: []string{"--config", file},
			want: func(c *server.Config) {
				c.Listen, c.DataDir, c.DatabaseURL, c.MaxBodyBytes = ":7000", "/from/file", "postgres://file", 1000
				c.ConfluentDefaults, c.LogLevel, c.ReadTimeout = true, "warn", 5*time.Second
			},
		},
		{
			name: "ConfigPathFromEnvironment",
			env:  map[string]string{"REGISTRY_CONFIG": file},
			want: func(c *server.Config) {
				c.Listen, c.DataDir, c.DatabaseURL, c.MaxBodyBytes = ":7000", "/from/file", "postgres://file", 1000
				c.ConfluentDefaults, c.LogLevel, c.ReadTimeout = true, "warn", 5*time.Second
			},
		},
		{
			name: "EnvironmentOverridesFile",
			args: []string{"--config", file},
			env: map[string]string{
				"REGISTRY_LISTEN":             ":7001",
				"REGISTRY_DATABASE_URL":       "postgres://env",
				"REGISTRY_CONFLUENT_DEFAULTS": "false",
				"REGISTRY_SKIP_MIGRATIONS":    "true",
			},
			want: func(c *server.Config) {
				c.Listen, c.DataDir, c.DatabaseURL, c.MaxBodyBytes = ":7001", "/from/file", "postgres://env", 1000
				c.ConfluentDefaults, c.LogLevel, c.ReadTimeout = false, "warn", 5*time.Second
				c.SkipMigrations = true
			},
		},
		{
			name: "FlagOverridesEnvironmentAndFile",
			args: []string{"--config", file, "--listen", ":7002", "--database-url", "postgres://flag", "--max-body-bytes", "42", "--log-format", "text"},
			env:  map[string]string{"REGISTRY_LISTEN": ":7001", "REGISTRY_DATABASE_URL": "postgres://env", "REGISTRY_LOG_FORMAT": "json"},
			want: func(c *server.Config) {
				c.Listen, c.DataDir, c.DatabaseURL, c.MaxBodyBytes = ":7002", "/from/file", "postgres://flag", 42
				c.ConfluentDefaults, c.LogLevel, c.ReadTimeout, c.LogFormat = true, "warn", 5*time.Second, "text"
			},
		},
		{
			name: "ExplicitFalseFlagBeatsTrueEnvironment",
			args: []string{"--confluent-defaults=false"},
			env:  map[string]string{"REGISTRY_CONFLUENT_DEFAULTS": "true"},
			want: func(c *server.Config) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := startConfig(t, tt.args, tt.env, "")
			want := server.Config{
				Listen: server.DefaultListen, DataDir: server.DefaultDataDir, MaxBodyBytes: server.DefaultMaxBodyBytes,
				LogFormat: server.DefaultLogFormat, LogLevel: server.DefaultLogLevel,
				ReadTimeout: server.DefaultReadTimeout, ReadHeaderTimeout: server.DefaultReadHeaderTimeout,
				WriteTimeout: server.DefaultWriteTimeout, IdleTimeout: server.DefaultIdleTimeout,
				ShutdownTimeout: server.DefaultShutdownTimeout,
			}
			tt.want(&want)
			if got, want := coreSettings(got), coreSettings(want); got != want {
				t.Errorf("config\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// settings are the server.Config fields this command defines (other
// packages add their own, such as the ops layer's).
type settings struct {
	Listen, DatabaseURL, DataDir, LogLevel, LogFormat string
	SkipMigrations, ConfluentDefaults                 bool
	MaxBodyBytes                                      int64
	ReadTimeout, ReadHeaderTimeout, WriteTimeout      time.Duration
	IdleTimeout, ShutdownTimeout                      time.Duration
}

func coreSettings(c server.Config) settings {
	return settings{
		Listen: c.Listen, DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, LogLevel: c.LogLevel, LogFormat: c.LogFormat,
		SkipMigrations: c.SkipMigrations, ConfluentDefaults: c.ConfluentDefaults, MaxBodyBytes: c.MaxBodyBytes,
		ReadTimeout: c.ReadTimeout, ReadHeaderTimeout: c.ReadHeaderTimeout, WriteTimeout: c.WriteTimeout,
		IdleTimeout: c.IdleTimeout, ShutdownTimeout: c.ShutdownTimeout,
	}
}

func TestInvalidSettingsFail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		file    string
		wantErr string
	}{
		{name: "UnknownFileKey", file: "listen: :1\nlisten-adress: :2\n", wantErr: "unknown keys listen-adress"},
		{name: "MalformedYAML", file: "listen: \":1\"\ndata-dir: [unclosed\n", wantErr: "registry.yaml: [2:"},
		{name: "NonScalarValue", file: "listen: [a, b]\n", wantErr: "listen: want a single value"},
		{name: "BadFileValue", file: "max-body-bytes: lots\n", wantErr: "max-body-bytes"},
		{name: "BadEnvironmentValue", env: map[string]string{"REGISTRY_READ_TIMEOUT": "soon"}, wantErr: "REGISTRY_READ_TIMEOUT"},
		{name: "MissingFile", args: []string{"--config", "/nonexistent/registry.yaml"}, wantErr: "no such file"},
		{name: "UnknownFlag", args: []string{"--lisen", ":1"}, wantErr: "unknown flag: --lisen"},
		{name: "StrayArgument", args: []string{"serve"}, wantErr: "unknown command"},
		{name: "BadClockOffset", args: []string{"--clock-offset", "soon"}, wantErr: `invalid clock offset "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, code, stderr := captureConfig(t, withConfigFile(t, tt.args, tt.file), tt.env)
			if code != 1 || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit 1 mentioning %q", code, stderr, tt.wantErr)
			}
		})
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"Root", []string{"--help"}},
		{"Migrate", []string{"migrate", "--help"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, envMap(nil), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			help := stdout.String()
			root := newRootCommand(envMap(nil), &stderr, nil)
			check := func(f *pflag.Flag) {
				if !strings.Contains(help, "--"+f.Name) {
					t.Errorf("help does not list --%s", f.Name)
				}
				if !strings.Contains(help, envName(f.Name)) {
					t.Errorf("help does not name %s", envName(f.Name))
				}
			}
			root.PersistentFlags().VisitAll(check)
			if tt.name == "Root" {
				root.Flags().VisitAll(check)
			}
			golden.Assert(t, filepath.Join("testdata", "help-"+strings.ToLower(tt.name)+".golden"), stdout.Bytes())
		})
	}
}

// TestClockOffsetFlag: --clock-offset reads days or a duration, from a
// flag or the environment, and the registry refuses to start with it
// unless --allow-clock-offset confirms it.
func TestClockOffsetFlag(t *testing.T) {
	t.Parallel()
	got, code, stderr := captureConfig(t, []string{"--clock-offset", "200d", "--allow-clock-offset"}, nil)
	if code != 0 || got.ClockOffset != 200*24*time.Hour || !got.AllowClockOffset {
		t.Errorf("flags: exit %d (%s), offset %v, allowed %v", code, stderr, got.ClockOffset, got.AllowClockOffset)
	}
	got, code, stderr = captureConfig(t, nil, map[string]string{"REGISTRY_CLOCK_OFFSET": "-36h"})
	if code != 0 || got.ClockOffset != -36*time.Hour || got.AllowClockOffset {
		t.Errorf("environment: exit %d (%s), offset %v, allowed %v", code, stderr, got.ClockOffset, got.AllowClockOffset)
	}
	var stdout, errOut bytes.Buffer
	code = run(context.Background(), []string{"--clock-offset", "200d", "--data-dir", t.TempDir(), "--listen", "127.0.0.1:0"}, envMap(nil), &stdout, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "--allow-clock-offset") {
		t.Errorf("without --allow-clock-offset: exit %d, stderr %q; want exit 1 asking for it", code, errOut.String())
	}
}
