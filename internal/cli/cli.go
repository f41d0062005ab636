// Package cli implements schemactl, the registry's command-line client and
// CI gate: it maps schema files to subjects (schemactl.yaml), checks them
// against the registry or a local baseline, registers them, and renders
// findings for people and CI systems.
//
// Every command is reachable through Run, which takes the arguments and
// the standard streams and returns the exit code, so tests see exactly
// what a user sees; cmd/schemactl is a few lines around it.
//
// cli depends on client (every call to the registry goes through it),
// srapi (the bodies it prints), compat and the schema format packages; it
// must not import the registry's domain, storage, api or server packages
// (tests may start a server).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/internal/cli/report"
)

// Exit codes. When several apply, the highest wins.
const (
	// ExitOK: no breaking change (warnings allowed).
	ExitOK = 0
	// ExitBreaking: at least one breaking (error) finding.
	ExitBreaking = 1
	// ExitUsage: bad usage, configuration, or a schema that does not parse.
	ExitUsage = 2
	// ExitRegistry: the registry is unreachable or answered with a server
	// error.
	ExitRegistry = 3
)

// Version is schemactl's version, set at build time with
// -ldflags "-X github.com/schemata-dev/schemata/cli.Version=v1.2.3";
// when unset, the module version recorded by `go install` is used.
var Version = ""

// version returns the version to report.
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Environment variables schemactl reads. Credentials come only from the
// environment, never from flags or the config file.
const (
	EnvRegistry = "SCHEMACTL_REGISTRY"
	EnvToken    = "SCHEMACTL_TOKEN"
	EnvUser     = "SCHEMACTL_USER"
	EnvPassword = "SCHEMACTL_PASSWORD"
)

// Options is everything Run takes from the process, made injectable so
// tests can run commands in parallel.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Dir is the working directory; "" means the process's.
	Dir string
	// Now is the clock for deprecation periods in local checks; nil means
	// time.Now.
	Now func() time.Time
	// HTTPClient sends registry requests; nil means a default client.
	HTTPClient *http.Client
	// IsTerminal reports whether w is a terminal (for colour); nil means
	// detecting it on *os.File.
	IsTerminal func(w io.Writer) bool
	// ReadFile reads schema files; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Run runs schemactl with args (without the program name) using the
// process's environment and working directory, and returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunWith(ctx, args, Options{Stdin: stdin, Stdout: stdout, Stderr: stderr})
}

// RunWith is Run with every process input injectable.
func RunWith(ctx context.Context, args []string, opts Options) int {
	a, err := newApp(opts)
	if err != nil {
		fmt.Fprintf(opts.Stderr, "schemactl: %v\n", err)
		return ExitUsage
	}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(a.stderr, "schemactl: %v\n", ee.err)
		}
		return ee.code
	}
	// Anything else comes from cobra's argument and flag parsing.
	fmt.Fprintf(a.stderr, "schemactl: %v\nRun 'schemactl --help' for usage.\n", err)
	return ExitUsage
}

// exitError carries an exit code out of a command. A nil err means the
// command already said everything (a report with breaking findings).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit code %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf builds an exit-2 error.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// app holds one invocation's inputs and global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	dir            string
	now            func() time.Time
	httpClient     *http.Client
	isTerminal     func(io.Writer) bool
	readFile       func(string) ([]byte, error)

	// Global flags.
	configPath string
	registry   string
	timeout    time.Duration
	color      string
	verbose    bool
	chdir      string

	// reportFormat is the output format of check or lint, once known.
	reportFormat report.Format
}

func newApp(opts Options) (*app, error) {
	a := &app{
		stdin: opts.Stdin, stdout: opts.Stdout, stderr: opts.Stderr,
		getenv: opts.Getenv, dir: opts.Dir, now: opts.Now,
		httpClient: opts.HTTPClient, isTerminal: opts.IsTerminal,
		readFile: opts.ReadFile,
	}
	if a.stdin == nil {
		a.stdin = eofReader{}
	}
	if a.stdout == nil {
		a.stdout = io.Discard
	}
	if a.stderr == nil {
		a.stderr = io.Discard
	}
	if a.getenv == nil {
		a.getenv = os.Getenv
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.isTerminal == nil {
		a.isTerminal = fileIsTerminal
	}
	if a.dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("working directory: %w", err)
		}
		a.dir = wd
	}
	return a, nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

func fileIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// workDir is the directory commands work in: the -C flag resolved against
// the working directory.
func (a *app) workDir() string {
	if a.chdir == "" {
		return a.dir
	}
	if filepath.IsAbs(a.chdir) {
		return a.chdir
	}
	return filepath.Join(a.dir, a.chdir)
}

// useColor decides whether text output to w is coloured: --color always
// or never wins; auto colours a terminal unless NO_COLOR is set.
func (a *app) useColor(w io.Writer) bool {
	switch a.color {
	case "always":
		return true
	case "never":
		return false
	}
	return a.getenv("NO_COLOR") == "" && a.isTerminal(w)
}

func (a *app) logger() *slog.Logger {
	level := slog.LevelWarn
	if a.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "schemactl",
		Short: "Check, register and fetch schemas in a schema registry",
		Long: `schemactl maps schema files to registry subjects (schemactl.yaml) and keeps
them in step with the registry: it checks changes for compatibility (the CI
gate), registers them in reference order, and fetches and compares versions.

Exit codes: 0 no breaking change, 1 breaking findings, 2 usage, config or
schema parse error, 3 registry unreachable or server error.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Version:           version(),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.validateGlobals() },
	}
	root.SetVersionTemplate("schemactl {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "path of schemactl.yaml (default: found from the working directory upwards)")
	pf.StringVar(&a.registry, "registry", "", "registry URL (overrides $"+EnvRegistry+" and the config file)")
	pf.DurationVar(&a.timeout, "timeout", 30*time.Second, "timeout of each registry request")
	pf.StringVar(&a.color, "color", "auto", "colour text output: auto, always or never (auto honours NO_COLOR)")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log registry retries and other details to stderr")
	pf.StringVarP(&a.chdir, "chdir", "C", "", "run as if started in this directory")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))

	root.AddCommand(
		a.checkCommand(),
		a.lintCommand(),
		a.registerCommand(),
		a.getCommand(),
		a.diffCommand(),
		a.configCommand(),
		a.rulesCommand(),
		a.versionCommand(),
		a.consumerCommand(),
		a.deprecateCommand(),
		a.deprecationsCommand(),
		a.tokenCommand(),
		a.migrateCommand(),
		a.backupCommand(),
		a.restoreCommand(),
	)
	return root
}

func (a *app) validateGlobals() error {
	switch a.color {
	case "auto", "always", "never":
	default:
		return usageErrorf("--color must be auto, always or never, not %q", a.color)
	}
	if a.timeout <= 0 {
		return usageErrorf("--timeout must be positive")
	}
	return nil
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print schemactl's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "schemactl %s\n", version())
			return nil
		},
	}
}
