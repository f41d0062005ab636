package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/schema"
)

// lookupEnv reads an environment variable (os.LookupEnv in production).
type lookupEnv func(key string) (string, bool)

// serveFunc runs the server; tests replace it to capture the config.
type serveFunc func(ctx context.Context, cfg server.Config, log *slog.Logger) error

// envPrefix prefixes the environment variable of every flag.
const envPrefix = "REGISTRY_"

// configFlag names the flag (and file key that is not allowed) holding
// the YAML config file path.
const configFlag = "config"

// run is the testable entry point: it executes the command line args and
// returns the process exit code.
func run(ctx context.Context, args []string, env lookupEnv, stdout, stderr io.Writer) int {
	return execute(ctx, args, env, stdout, stderr, func(ctx context.Context, cfg server.Config, log *slog.Logger) error {
		return server.Run(ctx, cfg, server.WithLogger(log))
	})
}

func execute(ctx context.Context, args []string, env lookupEnv, stdout, stderr io.Writer, serve serveFunc) int {
	root := newRootCommand(env, stderr, serve)
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(stderr, "registry: %v\n", err)
		return 1
	}
	return 0
}

// newRootCommand builds "registry" and its subcommands. Flags resolve
// with the precedence flag > environment > config file > default.
func newRootCommand(env lookupEnv, logOut io.Writer, serve serveFunc) *cobra.Command {
	var cfg server.Config
	serveUI := true
	root := &cobra.Command{
		Use:   "registry",
		Short: "Run the schema registry server",
		Long: "registry serves a Confluent Schema Registry compatible HTTP API with an\n" +
			"evolution checker, over PostgreSQL (--database-url) or an embedded store\n" +
			"(--data-dir).\n\n" +
			"Every flag can also be set with the environment variable shown next to it\n" +
			"or as a key of the YAML file given with --config (keys are flag names).\n" +
			"A flag beats the environment, which beats the file, which beats the default.",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return resolveFlags(cmd, env)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.DisableUI = !serveUI
			log, err := server.NewLogger(cfg, logOut)
			if err != nil {
				return err
			}
			return serve(cmd.Context(), cfg, log)
		},
	}

	pf := root.PersistentFlags()
	pf.String(configFlag, "", "YAML file with settings, keyed by flag name")
	pf.StringVar(&cfg.DatabaseURL, "database-url", "", "PostgreSQL URL (postgres://user:pass@host/db); empty uses the embedded store")
	pf.StringVar(&cfg.DataDir, "data-dir", server.DefaultDataDir, "directory of the embedded store, used without --database-url")
	pf.StringVar(&cfg.LogFormat, "log-format", server.DefaultLogFormat, "log format: json or text")
	pf.StringVar(&cfg.LogLevel, "log-level", server.DefaultLogLevel, "log level: debug, info, warn or error")

	f := root.Flags()
	f.StringVar(&cfg.Listen, "listen", server.DefaultListen, "address to serve HTTP on")
	f.BoolVar(&cfg.SkipMigrations, "skip-migrations", false, "do not migrate the database schema at start")
	f.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", server.DefaultMaxBodyBytes, "largest request body accepted (413 beyond)")
	f.IntVar(&cfg.SchemaSearchLimit, "schema-search-limit", server.DefaultSchemaSearchLimit, "default and largest page of GET /schemas (Confluent's schema.search.default.limit and max.limit)")
	f.IntVar(&cfg.ListLimit, "list-limit", server.DefaultListLimit, "default and largest page of the /v1 listings (consumers, deprecations, report items)")
	f.BoolVar(&cfg.ConfluentDefaults, "confluent-defaults", false, "default to plain BACKWARD without the additive-only policy, as Confluent ships")
	f.DurationVar(&cfg.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "longest time to read a request")
	f.DurationVar(&cfg.ReadHeaderTimeout, "read-header-timeout", server.DefaultReadHeaderTimeout, "longest time to read request headers")
	f.DurationVar(&cfg.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "longest time to write a response")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "how long an idle keep-alive connection stays open")
	f.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", server.DefaultShutdownTimeout, "how long to drain in-flight requests on shutdown")
	f.IntVar(&cfg.MaxHeaderBytes, "max-header-bytes", server.DefaultMaxHeaderBytes, "largest request header block accepted (431 beyond)")
	f.StringVar(&cfg.Ops.AuthConfigFile, "auth-config", "", "authentication file (users, client certificates, anonymous access); setting it turns authentication on")
	f.StringVar(&cfg.Ops.TLSCertFile, "tls-cert-file", "", "PEM certificate chain to serve HTTPS with (TLS 1.2 or later); reloaded when it changes")
	f.StringVar(&cfg.Ops.TLSKeyFile, "tls-key-file", "", "PEM private key of --tls-cert-file")
	f.StringVar(&cfg.Ops.TLSClientCAFile, "tls-client-ca-file", "", "PEM bundle of the CAs that sign client certificates (mutual TLS)")
	f.StringVar(&cfg.Ops.TLSClientAuth, "tls-client-auth", "", "client certificates: none, optional (default with a client CA) or require")
	f.StringVar(&cfg.Ops.AuditLog, "audit-log", "stdout", "where the audit trail of writes goes: stdout, stderr, off, or a file path")
	f.BoolVar(&serveUI, "ui", true, "serve the web UI under /ui/ (--ui=false turns it off)")
	f.Float64Var(&cfg.Ops.RateLimit, "rate-limit", 0, "requests per second allowed per principal (per client address when anonymous); 0 disables")
	f.IntVar(&cfg.Ops.RateBurst, "rate-burst", 0, "requests a principal may make at once; 0 means --rate-limit rounded up")
	f.IntVar(&cfg.Limits.MaxTextBytes, "max-schema-bytes", schema.DefaultMaxTextBytes, "largest schema text, and largest referenced text, in bytes (422 beyond)")
	f.IntVar(&cfg.Limits.MaxDepth, "max-schema-depth", schema.DefaultMaxDepth, "deepest nesting of a schema: JSON levels (Avro), brackets (Protobuf)")
	f.IntVar(&cfg.Limits.MaxDefinitions, "max-schema-definitions", schema.DefaultMaxDefinitions, "most named types (records, enums, messages, ...) in a schema with its references")
	f.IntVar(&cfg.Limits.MaxFields, "max-schema-fields", schema.DefaultMaxFields, "most fields in a schema with its references")
	f.IntVar(&cfg.Limits.MaxEnumSymbols, "max-schema-enum-symbols", schema.DefaultMaxEnumSymbols, "most enum symbols or values in a schema with its references")
	f.IntVar(&cfg.Limits.MaxReferences, "max-schema-references", schema.DefaultMaxReferences, "most schemas a schema references, directly or not")
	f.IntVar(&cfg.MaxConcurrentParses, "max-concurrent-parses", 0, "parses and compatibility checks run at once (503 when busy for a second); 0 means one per CPU")
	f.Var((*offsetValue)(&cfg.ClockOffset), "clock-offset", "shift the registry's clock, e.g. 200d, to try a deprecation lifecycle in minutes (demos and staging only; needs --allow-clock-offset)")
	f.BoolVar(&cfg.AllowClockOffset, "allow-clock-offset", false, "confirm --clock-offset")
	f.Int64Var(&cfg.CacheBytes, "cache-bytes", server.DefaultCacheBytes, "memory budget in bytes shared by every in-process cache (schemas, parsed schemas, encoded answers, usage buffer); at least 1 MiB")
	f.Int64Var(&cfg.MemoryLimit, "memory-limit", 0, "Go soft memory limit in bytes; 0 means --cache-bytes plus 96 MiB, less what the encoded answers hold outside the Go heap (57% of it, rounded up to a multiple of 32 MiB), unless GOMEMLIMIT is set; negative leaves the runtime's")

	root.AddCommand(newMigrateCommand(&cfg))
	addEnvToUsage(root)
	return root
}

// envName is the environment variable that sets flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// addEnvToUsage names each flag's environment variable in its help text.
func addEnvToUsage(root *cobra.Command) {
	add := func(f *pflag.Flag) { f.Usage += " (env " + envName(f.Name) + ")" }
	root.PersistentFlags().VisitAll(add)
	root.Flags().VisitAll(func(f *pflag.Flag) {
		if root.PersistentFlags().Lookup(f.Name) == nil {
			add(f)
		}
	})
}

// resolveFlags fills every flag the command line left unset from the
// environment, then from the config file.
func resolveFlags(cmd *cobra.Command, env lookupEnv) error {
	flags := cmd.Flags()
	path, _ := flags.GetString(configFlag)
	if !flags.Changed(configFlag) {
		if v, ok := env(envName(configFlag)); ok {
			path = v
		}
	}
	file, err := readConfigFile(path, knownKeys(cmd.Root()))
	if err != nil {
		return err
	}
	var errs []error
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == configFlag || f.Name == "help" {
			return
		}
		if v, ok := env(envName(f.Name)); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", envName(f.Name), v, err))
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("config file %s: %s: %q: %w", path, f.Name, v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// knownKeys lists the flag names a config file may set.
func knownKeys(root *cobra.Command) map[string]bool {
	keys := map[string]bool{}
	visit := func(f *pflag.Flag) { keys[f.Name] = f.Name != configFlag }
	root.PersistentFlags().VisitAll(visit)
	root.Flags().VisitAll(visit)
	return keys
}

// readConfigFile reads a YAML mapping of flag names to scalar values. An
// empty path means no file.
func readConfigFile(path string, known map[string]bool) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	out := make(map[string]string, len(raw))
	var unknown []string
	for k, v := range raw {
		if !known[k] {
			unknown = append(unknown, k)
			continue
		}
		s, err := scalarString(v)
		if err != nil {
			return nil, fmt.Errorf("config file %s: %s: %w", path, k, err)
		}
		out[k] = s
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("config file %s: unknown keys %s (keys are flag names, see --help)", path, strings.Join(unknown, ", "))
	}
	return out, nil
}

// scalarString renders a YAML scalar as a flag value.
func scalarString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("want a single value, got %T", v)
}

// offsetValue is a clock offset flag: days ("200d") or a duration.
type offsetValue time.Duration

func (v *offsetValue) String() string {
	if *v == 0 {
		return ""
	}
	return server.FormatOffset(time.Duration(*v))
}

func (v *offsetValue) Set(s string) error {
	d, err := server.ParseOffset(s)
	if err != nil {
		return err
	}
	*v = offsetValue(d)
	return nil
}

func (v *offsetValue) Type() string { return "offset" }
