package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // setup or I/O failed
	exitUsage  = 2 // bad command line
	// exitRequestErrors means the run completed but some requests failed.
	exitRequestErrors = 3
)

const usage = `usage: loadgen MODE [flags]

Modes:
  get            GET each -path in turn (round robin) from the targets
  register-new   POST a never-seen schema per request to one of -subjects subjects
  register-same  POST schemas already registered at setup (idempotent re-registration)
  bare           serve the bytes fetched from -from with a bare net/http handler
  populate       register -schemas new schemas, -versions per subject, once each
  get-ids        GET /schemas/ids/{id} for ids of -ids FROM-TO, at random or -shuffle'd
  reregister     re-register schemas that populate registered, at random or -shuffle'd

Run "loadgen MODE -h" for the flags of a mode. Load modes exit 0 when every
request succeeded, 3 when some failed, 1 when setup failed, 2 on bad flags.
`

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	mode, args := args[0], args[1:]
	switch mode {
	case "get", "register-new", "register-same", "populate", "get-ids", "reregister":
		return runLoad(ctx, mode, args, stdout, stderr)
	case "bare":
		return runBare(ctx, args, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "loadgen: unknown mode %q\n\n%s", mode, usage)
	return exitUsage
}

// listFlag is a flag that may be repeated and whose values may also be
// comma-separated.
type listFlag struct {
	values []string
	set    bool
}

func (l *listFlag) String() string { return strings.Join(l.values, ",") }

func (l *listFlag) Set(v string) error {
	if !l.set {
		l.values, l.set = nil, true // the first Set replaces the default
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			l.values = append(l.values, s)
		}
	}
	return nil
}

// loadFlags are the settings of a load mode.
type loadFlags struct {
	loadConfig
	targets  listFlag
	paths    listFlag
	subjects int
	schemas  int
	prefix   string
	compat   string
	json     bool
	versions int
	ids      string
	shuffle  bool
}

func parseLoadFlags(mode string, args []string, stderr io.Writer) (*loadFlags, error) {
	f := &loadFlags{
		targets: listFlag{values: []string{"http://127.0.0.1:8081"}},
		paths:   listFlag{values: []string{"/schemas/ids/1"}},
	}
	fs := flag.NewFlagSet("loadgen "+mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&f.targets, "url", "registry base URL; repeat or comma-separate for several instances (connections are spread over them)")
	fs.IntVar(&f.connections, "c", 64, "concurrent connections")
	fs.DurationVar(&f.duration, "d", 10*time.Second, "measured duration")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "unmeasured warm-up before measuring")
	fs.Int64Var(&f.maxRequests, "n", 0, "stop after this many measured requests (0: no limit)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON")
	switch mode {
	case "get":
		fs.Var(&f.paths, "path", "path to GET; repeat or comma-separate for several, sent round robin")
	case "register-new", "register-same":
		fs.IntVar(&f.subjects, "subjects", 8, "number of subjects the registrations are spread over")
		fs.StringVar(&f.prefix, "subject-prefix", "loadgen", "subject name prefix; a random run id is appended")
		fs.StringVar(&f.compat, "compat", "NONE", `compatibility level set on each subject before the run ("" leaves it)`)
		if mode == "register-same" {
			fs.IntVar(&f.schemas, "schemas", 64, "distinct schemas registered at setup and re-registered under load")
		}
	case "populate", "reregister":
		fs.IntVar(&f.schemas, "schemas", 1000, "schemas populate registers (and reregister re-registers from)")
		fs.IntVar(&f.versions, "versions", 10, "versions per subject: -schemas/-versions subjects")
		fs.StringVar(&f.prefix, "subject-prefix", "scale", "subject name prefix, the same for populate and reregister")
		if mode == "reregister" {
			fs.BoolVar(&f.shuffle, "shuffle", false, "re-register each schema once, in a random order (with -n to stop after one pass)")
		}
	case "get-ids":
		fs.StringVar(&f.ids, "ids", "1-1000", "range of schema ids to read, FROM-TO")
		fs.BoolVar(&f.shuffle, "shuffle", false, "read each id once, in a random order (with -n to stop after one pass)")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var errs []error
	if f.connections < 1 {
		errs = append(errs, fmt.Errorf("-c %d: need at least one connection", f.connections))
	}
	if f.duration <= 0 || f.warmup < 0 || f.timeout <= 0 {
		errs = append(errs, errors.New("-d and -timeout must be positive, -warmup not negative"))
	}
	if len(f.targets.values) == 0 {
		errs = append(errs, errors.New("-url: need at least one target"))
	}
	for i, t := range f.targets.values {
		f.targets.values[i] = strings.TrimSuffix(t, "/")
	}
	if mode == "get" && len(f.paths.values) == 0 {
		errs = append(errs, errors.New("-path: need at least one path"))
	}
	if (mode == "register-new" || mode == "register-same") && f.subjects < 1 {
		errs = append(errs, fmt.Errorf("-subjects %d: need at least one subject", f.subjects))
	}
	if (mode == "populate" || mode == "reregister") && (f.schemas < 1 || f.versions < 1 || f.schemas%f.versions != 0) {
		errs = append(errs, fmt.Errorf("-schemas %d, -versions %d: need a positive multiple of a positive count", f.schemas, f.versions))
	}
	if mode == "get-ids" {
		if _, _, err := parseIDRange(f.ids); err != nil {
			errs = append(errs, err)
		}
	}
	if mode == "register-same" && f.schemas < 1 {
		errs = append(errs, fmt.Errorf("-schemas %d: need at least one schema", f.schemas))
	}
	return f, errors.Join(errs...)
}

func runLoad(ctx context.Context, mode string, args []string, stdout, stderr io.Writer) int {
	f, err := parseLoadFlags(mode, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen %s: %v\n", mode, err)
		return exitUsage
	}
	targets := f.targets.values
	transport := newTransport(f.connections, len(targets))
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}

	w, err := newWorkload(ctx, client, mode, f)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen %s: setup: %v\n", mode, err)
		return exitFailed
	}
	cfg := f.loadConfig
	if p, ok := w.(*populateLoad); ok {
		// Exactly -schemas registrations, all measured.
		cfg.maxRequests, cfg.warmup = int64(f.schemas), 0
		cfg.duration = max(cfg.duration, 24*time.Hour)
		if !f.json {
			defer func() { fmt.Fprintf(stdout, "ids: %d-%d\n", p.minID.Load(), p.maxID.Load()) }()
		}
	}
	res := drive(ctx, client, w, cfg)
	rep := newReport(mode, targets, f.connections, res)
	if f.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen %s: %v\n", mode, err)
		return exitFailed
	}
	if rep.Errors > 0 {
		return exitRequestErrors
	}
	return exitOK
}

// newWorkload prepares the workload of mode: subjects and their
// compatibility level, and for register-same the registered schemas.
func newWorkload(ctx context.Context, client *http.Client, mode string, f *loadFlags) (workload, error) {
	targets := f.targets.values
	switch mode {
	case "get":
		return &getLoad{targets: targets, paths: f.paths.values}, nil
	case "get-ids":
		from, to, err := parseIDRange(f.ids)
		if err != nil {
			return nil, err
		}
		return newGetIDsLoad(targets, from, to, f.shuffle), nil
	case "populate":
		if err := setGlobalNone(ctx, client, targets[0]); err != nil {
			return nil, fmt.Errorf("set the global compatibility: %w", err)
		}
		return &populateLoad{targets: targets, prefix: f.prefix, subjects: f.schemas / f.versions}, nil
	case "reregister":
		return &reregisterLoad{targets: targets, prefix: f.prefix, subjects: f.schemas / f.versions, pick: newPicker(f.schemas, f.shuffle)}, nil
	}
	runID := newRunID()
	subjects := subjectNames(f.prefix+"-"+runID, f.subjects)
	if f.compat != "" {
		if err := setCompatibility(ctx, client, targets[0], subjects, f.compat); err != nil {
			return nil, err
		}
	}
	if mode == "register-new" {
		return &registerNewLoad{targets: targets, subjects: subjects, runID: runID}, nil
	}
	registered, err := registerAll(ctx, client, targets[0], runID, subjects, f.schemas)
	if err != nil {
		return nil, err
	}
	return &registerSameLoad{targets: targets, registered: registered}, nil
}

func runBare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen bare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to serve on; the bound address is printed")
	from := fs.String("from", "", "URL whose answer (status 200 body and content headers) is served for every path")
	lifetime := fs.Duration("for", 30*time.Minute, "stop serving after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *from == "" || fs.NArg() > 0 || *lifetime <= 0 {
		fmt.Fprintln(stderr, "loadgen bare: -from URL is required, -for must be positive, and no arguments are taken")
		return exitUsage
	}
	h, err := fetchBare(ctx, http.DefaultClient, *from)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen bare: %v\n", err)
		return exitFailed
	}
	if err := serveBare(ctx, h, *listen, *lifetime, stdout); err != nil {
		fmt.Fprintf(stderr, "loadgen bare: %v\n", err)
		return exitFailed
	}
	return exitOK
}
