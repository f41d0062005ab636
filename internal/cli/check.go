package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// RuleRegistryIncompatible is the rule ID given to the reasons of a
// registry that answers a verbose check with messages but without our
// structured findings (a plain Confluent registry).
const RuleRegistryIncompatible = "REGISTRY_INCOMPATIBLE"

// reportFlags are shared by check and lint.
type reportFlags struct {
	format       string
	changedSince string
	against      string
	level        string
	additive     bool
	jobs         int
}

func (f *reportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text, json, github, junit or sarif")
	fl.StringVar(&f.changedSince, "changed-since", "", "only schemas changed since this git ref (and the schemas referencing them)")
	fl.StringVar(&f.against, "against", "", "compare with a local baseline instead of the registry: a directory, or git:REF")
	fl.StringVar(&f.level, "level", "", "compatibility level of local comparisons (default: local.level in the config, else BACKWARD)")
	fl.BoolVar(&f.additive, "additive", false, "apply the additive-only policy in local comparisons (check --against: on unless local.additive is false; lint: off)")
	fl.IntVarP(&f.jobs, "jobs", "j", 8, "schemas checked in parallel")
	formats := make([]string, len(report.Formats))
	for i, f := range report.Formats {
		formats[i] = string(f)
	}
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	levels := make([]string, len(compat.Levels))
	for i, l := range compat.Levels {
		levels[i] = string(l)
	}
	_ = cmd.RegisterFlagCompletionFunc("level", cobra.FixedCompletions(levels, cobra.ShellCompDirectiveNoFileComp))
}

// localPolicy resolves --level and --additive against the config; the
// policy is on by default where defaultAdditive says so (check --against,
// as the registry ships), else only when asked for (lint).
func (a *app) localPolicy(cmd *cobra.Command, p *project, f *reportFlags, defaultAdditive bool) (compat.Level, compat.Policy, error) {
	levelName := f.level
	if levelName == "" {
		levelName = p.cfg.Local.Level
	}
	level := compat.Backward
	if levelName != "" {
		var err error
		if level, err = compat.ParseLevel(levelName); err != nil {
			return "", compat.Policy{}, usageErrorf("--level: %v", err)
		}
	}
	additive := defaultAdditive
	if p.cfg.Local.Additive != nil {
		additive = *p.cfg.Local.Additive
	}
	if cmd.Flags().Changed("additive") {
		additive = f.additive
	}
	minDays := defaultLocalMinDeprecationDays
	if p.cfg.Local.MinDeprecationDays != nil {
		minDays = *p.cfg.Local.MinDeprecationDays
	}
	return level, compat.Policy{
		AdditiveOnly:         additive,
		Now:                  a.now(),
		MinDeprecationPeriod: time.Duration(minDays) * 24 * time.Hour,
	}, nil
}

func (a *app) checkCommand() *cobra.Command {
	var f reportFlags
	var consumer string
	cmd := &cobra.Command{
		Use:   "check [SUBJECT...]",
		Short: "Check mapped schemas for breaking changes (the CI gate)",
		Long: `Check parses every mapped schema (or the named subjects, or those changed since
--changed-since) and asks the registry whether it could be registered: the
verdict is the registry's own, with the subject's level and policies.

With --against DIR or --against git:REF it compares each schema with the same
file in a baseline instead, locally, with --level and --additive.

A subject the registry does not know yet is reported as new, not as an error.`,
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			if consumer != "" {
				return a.runConsumerCheck(cmd, consumer, &f)
			}
			return a.runCheck(cmd, args, &f)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&consumer, "consumer", "", "backfill check of this consumer: can it re-read every writer version in its backfill window?")
	return cmd
}

// outcome is one subject's result and the exit code it calls for.
type outcome struct {
	sub  report.Subject
	exit int
}

func (a *app) runCheck(cmd *cobra.Command, args []string, f *reportFlags) error {
	ctx := cmd.Context()
	format, p, entries, err := a.prepareReport(ctx, args, f)
	if err != nil {
		return err
	}
	wt := a.workingTree(p)
	rep := &report.Report{Command: "check"}
	var outcomes []outcome
	if f.against != "" {
		level, policy, err := a.localPolicy(cmd, p, f, defaultLocalAdditive)
		if err != nil {
			return err
		}
		base, err := a.baseline(ctx, p, f.against)
		if err != nil {
			return err
		}
		rep.Against = base.String()
		outcomes = runParallel(ctx, entries, f.jobs, func(ctx context.Context, e *entry) outcome {
			return a.checkLocal(ctx, p, e, wt, base, level, policy)
		})
	} else {
		rc, err := a.openRegistry(p)
		if err != nil {
			return err
		}
		rep.Against = "registry " + rc.c.BaseURL()
		if err := reachRegistry(ctx, rc); err != nil {
			return err
		}
		outcomes = runParallel(ctx, entries, f.jobs, func(ctx context.Context, e *entry) outcome {
			return a.checkRegistry(ctx, p, rc, e, wt)
		})
	}
	return a.finish(rep, outcomes, format)
}

// prepareReport validates the flags shared by check and lint, loads the
// project and selects the entries to work on.
func (a *app) prepareReport(ctx context.Context, args []string, f *reportFlags) (report.Format, *project, []*entry, error) {
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return "", nil, nil, usageErrorf("%v", err)
	}
	a.reportFormat = format
	if f.jobs < 1 || f.jobs > maxParallel {
		return "", nil, nil, usageErrorf("--jobs must be between 1 and %d", maxParallel)
	}
	p, err := a.loadProject()
	if err != nil {
		return "", nil, nil, err
	}
	entries, err := a.selectEntries(ctx, p, args, f.changedSince)
	if err != nil {
		return "", nil, nil, err
	}
	return format, p, entries, nil
}

// selectEntries applies the subject arguments and --changed-since.
func (a *app) selectEntries(ctx context.Context, p *project, subjects []string, changedSince string) ([]*entry, error) {
	entries, err := p.selectSubjects(subjects)
	if err != nil {
		return nil, err
	}
	if changedSince == "" {
		return entries, nil
	}
	if err := verifyRef(ctx, p.dir, changedSince); err != nil {
		return nil, usageErrorf("--changed-since %s: %v", changedSince, err)
	}
	changed, err := changedFiles(ctx, p.dir, changedSince)
	if err != nil {
		return nil, usageErrorf("--changed-since: %v", err)
	}
	var hit []*entry
	for _, e := range p.entries {
		if changed[canonicalPath(e.abs)] {
			hit = append(hit, e)
		}
	}
	wanted := map[*entry]bool{}
	for _, e := range entries {
		wanted[e] = true
	}
	var out []*entry
	for _, e := range p.withDependents(hit) {
		if wanted[e] {
			out = append(out, e)
		}
	}
	return out, nil
}

// baseline parses --against: git:REF or a directory.
func (a *app) baseline(ctx context.Context, p *project, against string) (source, error) {
	if ref, ok := strings.CutPrefix(against, "git:"); ok {
		if ref == "" {
			return nil, usageErrorf("--against git: needs a ref, e.g. git:main")
		}
		if err := verifyRef(ctx, p.dir, ref); err != nil {
			return nil, usageErrorf("--against git:%s: %v", ref, err)
		}
		return loadOnce(gitSource{dir: p.dir, ref: ref}), nil
	}
	dir := against
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(a.workDir(), dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, usageErrorf("--against %s: not a directory (use git:REF for a git revision)", against)
	}
	return a.dirSource(dir, "dir:"+against), nil
}

// runParallel runs fn for every entry, at most jobs at a time, and returns
// the outcomes in the entries' order.
func runParallel(ctx context.Context, entries []*entry, jobs int, fn func(context.Context, *entry) outcome) []outcome {
	out := make([]outcome, len(entries))
	var g errgroup.Group
	g.SetLimit(jobs)
	for i, e := range entries {
		g.Go(func() error {
			out[i] = fn(ctx, e)
			return nil
		})
	}
	_ = g.Wait()
	return out
}

// newSubject starts the report entry of e.
func (a *app) newSubject(p *project, e *entry) report.Subject {
	return report.Subject{Subject: e.Subject, File: a.displayPath(e.abs), Format: string(e.format)}
}

// displayPath shows a path relative to where the user stands, as
// compilers do. On GitHub Actions (github format) paths are relative to
// the workspace, which is what annotations need; a file outside it keeps
// its absolute path.
func (a *app) displayPath(abs string) string {
	if ws := a.getenv("GITHUB_WORKSPACE"); ws != "" && a.reportFormat == report.GitHub {
		if rel, err := filepath.Rel(ws, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
		return filepath.ToSlash(abs)
	}
	if rel, err := filepath.Rel(a.workDir(), abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// parseLocal reads and parses e's text from src, resolving references
// with rc (or locally when rc is nil). A schema that does not parse comes
// back as an outcome.
func (a *app) parseLocal(ctx context.Context, p *project, e *entry, src source, rc *registryCache) (schema.Schema, *outcome) {
	sub := a.newSubject(p, e)
	text, ok, err := src.read(ctx, e.rel)
	if err == nil && !ok {
		err = fmt.Errorf("%s: no such file", sub.File)
	}
	if err != nil {
		sub.Status, sub.Message = report.StatusError, err.Error()
		return nil, &outcome{sub, ExitUsage}
	}
	deps := depResolver{p: p, src: src, registry: rc}
	if err := deps.resolve(ctx, e); err != nil {
		sub.Status, sub.Message = report.StatusError, err.Error()
		code := ExitUsage
		var ce *client.Error
		if errors.As(err, &ce) || client.IsUnreachable(err) {
			code = registryExit(err)
		}
		return nil, &outcome{sub, code}
	}
	s, err := parseSchema(e.format, e.rel, text, deps.out)
	if err != nil {
		sub.Status = report.StatusInvalid
		sub.Findings = []report.Finding{invalidFinding(err)}
		return nil, &outcome{sub, ExitUsage}
	}
	return s, nil
}

// invalidFinding turns a parse error into a located finding.
func invalidFinding(err error) report.Finding {
	f := report.Finding{RuleID: report.RuleSchemaInvalid, Severity: compat.Error, Message: err.Error()}
	var pe *schema.ParseError
	if errors.As(err, &pe) {
		f.Line, f.Column = pe.Pos.Line, pe.Pos.Column
	}
	return f
}

// checkRegistry checks one subject with the registry's compatibility
// endpoint, after parsing it locally.
func (a *app) checkRegistry(ctx context.Context, p *project, rc *registryCache, e *entry, wt source) outcome {
	if _, bad := a.parseLocal(ctx, p, e, wt, rc); bad != nil {
		return *bad
	}
	sub := a.newSubject(p, e)
	// Registries differ on a subject that does not exist (Confluent
	// answers 40401, others "compatible"), so ask which exist, once.
	if exists, err := rc.subjectExists(ctx, e.Subject); err != nil {
		sub.Status, sub.Message = report.StatusError, err.Error()
		return outcome{sub, registryExit(err)}
	} else if !exists {
		sub.Status, sub.Message = report.StatusNew, "the subject is not registered yet"
		return outcome{sub, ExitOK}
	}
	text, refs, notes, err := rc.wireSchema(ctx, e, wt)
	if err != nil {
		sub.Status, sub.Message = report.StatusError, err.Error()
		return outcome{sub, registryExit(err)}
	}
	res, err := rc.c.CheckCompatibility(ctx, e.Subject, 0,
		client.Schema{Schema: text, SchemaType: schemaType(e.format), References: refs},
		&client.CompatibilityOptions{Normalize: e.Normalize})
	switch {
	case errors.Is(err, srapi.ErrSubjectNotFound), errors.Is(err, srapi.ErrVersionNotFound):
		sub.Status, sub.Message = report.StatusNew, "the subject is not registered yet"
		return outcome{sub, ExitOK}
	case errors.Is(err, srapi.ErrInvalidSchema):
		var ce *client.Error
		errors.As(err, &ce)
		sub.Status = report.StatusInvalid
		sub.Findings = []report.Finding{{RuleID: report.RuleSchemaInvalid, Severity: compat.Error, Message: "the registry rejected the schema: " + ce.Message}}
		sub.Message = joinNotes(notes)
		return outcome{sub, ExitUsage}
	case err != nil:
		sub.Status, sub.Message = report.StatusError, err.Error()
		return outcome{sub, registryExit(err)}
	}
	sub.Message = joinNotes(notes)
	for _, f := range res.Findings {
		sub.Findings = append(sub.Findings, report.FromWire(f))
	}
	sub.Truncated = res.Truncated
	if !res.IsCompatible && len(res.Findings) == 0 {
		for _, m := range res.Messages {
			sub.Findings = append(sub.Findings, report.Finding{RuleID: RuleRegistryIncompatible, Severity: compat.Error, Message: m})
		}
	}
	report.Sort(sub.Findings)
	if res.IsCompatible {
		sub.Status = report.StatusCompatible
		return outcome{sub, ExitOK}
	}
	sub.Status = report.StatusIncompatible
	return outcome{sub, ExitBreaking}
}

// checkLocal compares e's working-tree schema with its baseline, without
// a registry.
func (a *app) checkLocal(ctx context.Context, p *project, e *entry, wt, base source, level compat.Level, policy compat.Policy) outcome {
	newSchema, bad := a.parseLocal(ctx, p, e, wt, nil)
	if bad != nil {
		return *bad
	}
	return a.compareWithBaseline(ctx, p, e, newSchema, base, level, policy)
}

// compareWithBaseline compares newSchema, e's parsed working-tree schema,
// with e's file in base.
func (a *app) compareWithBaseline(ctx context.Context, p *project, e *entry, newSchema schema.Schema, base source, level compat.Level, policy compat.Policy) outcome {
	sub := a.newSubject(p, e)
	if _, ok, err := base.read(ctx, e.rel); err != nil {
		sub.Status, sub.Message = report.StatusError, err.Error()
		return outcome{sub, ExitUsage}
	} else if !ok {
		sub.Status, sub.Message = report.StatusNew, fmt.Sprintf("%s has no %s", base, e.rel)
		return outcome{sub, ExitOK}
	}
	oldSchema, bad := a.parseLocal(ctx, p, e, base, nil)
	if bad != nil {
		sub.Status = report.StatusError
		sub.Message = fmt.Sprintf("the baseline in %s does not parse: %s", base, badMessage(bad))
		return outcome{sub, ExitUsage}
	}
	return a.compareLocal(sub, level, policy, newSchema, oldSchema)
}

// compareLocal runs compat.Check with old as the only earlier version.
func (a *app) compareLocal(sub report.Subject, level compat.Level, policy compat.Policy, newSchema, oldSchema schema.Schema) outcome {
	res := compat.Check(compat.Request{
		Level: level, Policy: policy, New: newSchema,
		History: []compat.Version{{Version: baselineVersion, Schema: oldSchema}},
	})
	for _, f := range res.Findings {
		sub.Findings = append(sub.Findings, report.FromCompat(f))
	}
	sub.Truncated = res.Truncated
	report.Sort(sub.Findings)
	if res.Compatible() {
		sub.Status = report.StatusCompatible
		return outcome{sub, ExitOK}
	}
	sub.Status = report.StatusIncompatible
	return outcome{sub, ExitBreaking}
}

// baselineVersion is the version number a local baseline gets in
// findings: it stands for the subject's one earlier version.
const baselineVersion = 1

func badMessage(o *outcome) string {
	if len(o.sub.Findings) > 0 {
		f := o.sub.Findings[0]
		if f.Line > 0 {
			return fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message)
		}
		return f.Message
	}
	return o.sub.Message
}

// finish renders the report and returns the exit code as an error.
func (a *app) finish(rep *report.Report, outcomes []outcome, format report.Format) error {
	code := ExitOK
	for _, o := range outcomes {
		rep.Subjects = append(rep.Subjects, o.sub)
		code = max(code, o.exit)
	}
	opts := report.Options{Color: a.useColor(a.stdout), ToolVersion: version()}
	if err := report.Write(a.stdout, rep, format, opts); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	if format == report.GitHub {
		if path := a.getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := appendSummary(path, rep); err != nil {
				fmt.Fprintf(a.stderr, "schemactl: %v\n", err)
			}
		}
	}
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

func appendSummary(path string, rep *report.Report) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("step summary: %w", cerr)
		}
	}()
	if err := report.WriteMarkdownSummary(f, rep); err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	return nil
}

// completeSubjects completes subject names from the config.
func (a *app) completeSubjects(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	p, err := a.loadProject()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, s := range sortedSubjects(p.entries) {
		if strings.HasPrefix(s, toComplete) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
