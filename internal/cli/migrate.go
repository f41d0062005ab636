package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/schemata-dev/schemata/client"
)

// Environment variables holding the source registry's credentials for
// migrate; the target's are the usual ones.
const (
	EnvFromToken    = "SCHEMACTL_FROM_TOKEN"
	EnvFromUser     = "SCHEMACTL_FROM_USER"
	EnvFromPassword = "SCHEMACTL_FROM_PASSWORD"
)

// defaultCopyParallel is how many subjects a copy imports at once.
const defaultCopyParallel = 8

type migrateFlags struct {
	from, to     string
	skipContexts bool
	copyFlags
}

// copyFlags are the flags migrate and restore share.
type copyFlags struct {
	dryRun   bool
	parallel int
}

func (f *copyFlags) add(fl *pflag.FlagSet) {
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and change nothing")
	fl.IntVar(&f.parallel, "parallel", defaultCopyParallel, "subjects imported at once")
}

func (f *copyFlags) validate() error {
	if f.parallel < 1 || f.parallel > maxParallel {
		return usageErrorf("--parallel must be 1 to %d", maxParallel)
	}
	return nil
}

func (a *app) migrateCommand() *cobra.Command {
	var f migrateFlags
	cmd := &cobra.Command{
		Use:   "migrate --from URL [--to URL]",
		Short: "Copy another Confluent-API registry into this one, with its ids",
		Long: `migrate copies every subject, version (soft-deleted ones too, gaps kept), id,
reference, config and subject mode of a Confluent-API registry (Confluent,
Karapace, Apicurio's ccompat API, Redpanda, AxonOps, or this one) into the
target registry (--to, else the configured registry) through IMPORT mode, in
reference order, then compares every (subject, version, id, fingerprint) on
both sides. Running it again copies only what is missing.

Every schema context the source lists (GET /contexts; a source without the
route has the default one only) is copied with its own ids, its subjects
qualified (":.ctx:name") and its context-level config and mode;
--skip-contexts copies the default context only.

The source's credentials come from $SCHEMACTL_FROM_TOKEN or
$SCHEMACTL_FROM_USER/$SCHEMACTL_FROM_PASSWORD, the target's from
$SCHEMACTL_TOKEN or $SCHEMACTL_USER/$SCHEMACTL_PASSWORD.

Exit codes: 0 copied and verified, 1 a difference remains (listed), 2 usage,
3 a registry is unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runMigrate(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "URL of the registry to copy from (required)")
	fl.StringVar(&f.to, "to", "", "URL of the registry to copy into (default: --registry, $"+EnvRegistry+" or the config file's)")
	fl.BoolVar(&f.skipContexts, "skip-contexts", false, "copy the default context only, leaving the source's other contexts out")
	f.add(fl)
	return cmd
}

func (a *app) runMigrate(ctx context.Context, f migrateFlags) error {
	if f.from == "" {
		return usageErrorf("--from is required")
	}
	if err := f.validate(); err != nil {
		return err
	}
	if f.to != "" {
		a.registry = f.to
	}
	source, err := a.clientAt(f.from, EnvFromToken, EnvFromUser, EnvFromPassword)
	if err != nil {
		return err
	}
	target, err := a.optionalClient()
	if err != nil {
		return err
	}
	if source.BaseURL() == target.BaseURL() {
		return usageErrorf("the source and the target are the same registry (%s)", source.BaseURL())
	}
	fmt.Fprintf(a.stdout, "migrate: %s -> %s\n", source.BaseURL(), target.BaseURL())
	read := func() (*snapshot, error) {
		snap, err := readRegistry(ctx, source)
		if err == nil && f.skipContexts {
			snap.dropQualified()
		}
		return snap, err
	}
	return a.copyInto(ctx, target, read, copySettings{dryRun: f.dryRun, parallel: f.parallel, what: "source"})
}

// copySettings tune copyInto.
type copySettings struct {
	dryRun   bool
	parallel int
	// copyGlobalMode also copies the global mode (restore does; migrate
	// keeps the target's, as a source frozen in READONLY for the move
	// must not freeze the target).
	copyGlobalMode bool
	// what names the source in messages: "source" or "backup".
	what string
}

// copyInto makes target hold what read returns: it plans, copies, and
// verifies by reading both sides again. It is migrate and restore.
func (a *app) copyInto(ctx context.Context, target *client.Client, read func() (*snapshot, error), s copySettings) error {
	started := time.Now()
	src, dst, err := readSides(ctx, target, read, s.what)
	if err != nil {
		return registryError(err)
	}
	fmt.Fprintf(a.stdout, "%s: %s\n", s.what, describeSnapshot(src))
	if len(src.Qualified) > 0 {
		fmt.Fprintf(a.stdout, "warning: %d context-qualified subjects are not copied (e.g. %s)\n", len(src.Qualified), src.Qualified[0])
	}
	fmt.Fprintf(a.stdout, "target: %s\n", describeSnapshot(dst))
	plan := planCopy(src, dst, s.copyGlobalMode)
	plan.warnings = strictWarnings(src, plan)
	if after := afterCopyMode(dst.GlobalMode); !s.copyGlobalMode && src.GlobalMode != "" && src.GlobalMode != after {
		fmt.Fprintf(a.stdout, "note: the %s's global mode %s is not copied; the target's is %s after the copy\n", s.what, src.GlobalMode, after)
	}
	fmt.Fprintf(a.stdout, "plan: %s\n", describePlan(plan))
	if s.dryRun {
		printPlan(a.stdout, plan)
		return nil
	}
	for _, warn := range plan.warnings {
		fmt.Fprintf(a.stdout, "warning: %s\n", warn)
	}
	run := &copyRun{
		target: target, plan: plan, parallel: s.parallel, copyGlobalMode: s.copyGlobalMode,
		targetGlobalMode: dst.GlobalMode, targetModes: map[string]string{},
	}
	for name, st := range dst.Subjects {
		run.targetModes[name] = st.Mode
	}
	if a.isTerminal(a.stdout) {
		run.progress = a.stdout
	}
	copyStart := time.Now()
	if err := run.run(ctx); err != nil {
		return registryError(fmt.Errorf("copy: %w", err))
	}
	elapsed := time.Since(copyStart)
	fmt.Fprintf(a.stdout, "copied: %d versions imported, %d soft-deleted, %d configs, %d modes, %d consumers, %d deprecation records in %s%s\n",
		run.imported, run.deleted, len(plan.configs), len(plan.modes), len(plan.consumers), len(plan.deprecations),
		elapsed.Round(time.Millisecond), rate(run.imported, elapsed))
	for _, fail := range run.failures {
		fmt.Fprintf(a.stdout, "failed: %s\n", fail)
	}
	for _, c := range plan.conflicts {
		fmt.Fprintf(a.stdout, "conflict: %s\n", c)
	}
	return a.verifyCopy(ctx, target, read, s, started)
}

// readSides reads what is to be copied, named what in errors, and what
// target holds.
func readSides(ctx context.Context, target *client.Client, read func() (*snapshot, error), what string) (src, dst *snapshot, err error) {
	if src, err = read(); err != nil {
		return nil, nil, fmt.Errorf("read the %s: %w", what, err)
	}
	if dst, err = readRegistry(ctx, target); err != nil {
		return nil, nil, fmt.Errorf("read the target: %w", err)
	}
	return src, dst, nil
}

// verifyCopy reads both sides again and compares them.
func (a *app) verifyCopy(ctx context.Context, target *client.Client, read func() (*snapshot, error), s copySettings, started time.Time) error {
	src, dst, err := readSides(ctx, target, read, s.what)
	if err != nil {
		return registryError(fmt.Errorf("verify: %w", err))
	}
	compared, diffs := compareSnapshots(src, dst, s.copyGlobalMode)
	for _, d := range diffs {
		fmt.Fprintf(a.stdout, "difference: %s\n", d)
	}
	if len(diffs) > 0 {
		fmt.Fprintf(a.stdout, "verification: %d versions compared, %d differences (%s in all)\n", compared, len(diffs), time.Since(started).Round(time.Millisecond))
		return &exitError{code: ExitBreaking}
	}
	fmt.Fprintf(a.stdout, "verification: %d versions compared, no difference (%s in all)\n", compared, time.Since(started).Round(time.Millisecond))
	return nil
}

func rate(n int, d time.Duration) string {
	if n == 0 || d <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%.0f versions/s)", float64(n)/d.Seconds())
}

func describeSnapshot(s *snapshot) string {
	versions, deleted := 0, 0
	for _, st := range s.Subjects {
		for _, v := range st.Versions {
			versions++
			if v.Deleted {
				deleted++
			}
		}
	}
	return fmt.Sprintf("%d subjects, %d versions (%d soft-deleted), global mode %s", len(s.Subjects), versions, deleted, s.GlobalMode)
}

func describePlan(p *copyPlan) string {
	if p.empty() && len(p.conflicts) == 0 {
		return "nothing to copy"
	}
	return fmt.Sprintf("%d versions to import, %d to soft-delete, %d configs, %d modes, %d consumers, %d deprecation records; %d conflicts, %d warnings",
		p.importCount(), len(p.deletes), len(p.configs), len(p.modes), len(p.consumers), len(p.deprecations), len(p.conflicts), len(p.warnings))
}
