package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/srapi"
)

func (a *app) registerCommand() *cobra.Command {
	var (
		changedSince string
		dryRun       bool
	)
	cmd := &cobra.Command{
		Use:   "register [SUBJECT...]",
		Short: "Register mapped schemas that the registry does not hold yet",
		Long: `Register pushes every mapped schema (or the named subjects, or those changed
since --changed-since) that is not yet a version of its subject, in reference
order: a schema is registered after the local files it references, and its
references point at the versions those files became.

Everything is checked first, as the registry will check it (its level, its
policy and its registered consumers, through its compatibility endpoint):
if any schema would be refused, the findings are printed, nothing is
registered, and the exit code is 1. A schema that references another one
being registered in the same run can only be checked by the registry when
it is registered.

Schemas already registered are left alone, so register is safe to re-run:
if a registration still fails midway, the output lists what was and was not
registered, and running it again completes the rest. With --dry-run the same
checks run (exit 1 on a refusal) and nothing is written.`,
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRegister(cmd.Context(), args, changedSince, dryRun)
		},
	}
	cmd.Flags().StringVar(&changedSince, "changed-since", "", "only schemas changed since this git ref (and the schemas referencing them)")
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "check and say what would be registered, register nothing")
	return cmd
}

func (a *app) runRegister(ctx context.Context, subjects []string, changedSince string, dryRun bool) error {
	p, err := a.loadProject()
	if err != nil {
		return err
	}
	entries, err := a.selectEntries(ctx, p, subjects, changedSince)
	if err != nil {
		return err
	}
	rc, err := a.openRegistry(p)
	if err != nil {
		return err
	}
	if err := reachRegistry(ctx, rc); err != nil {
		return err
	}
	wt := a.workingTree(p)
	todo, refused, unchanged, err := a.planRegistrations(ctx, p, rc, wt, p.inReferenceOrder(entries), dryRun)
	if err != nil {
		return err
	}
	if len(refused) > 0 {
		fmt.Fprintf(a.stderr, "schemactl: %s would be refused; nothing was registered\n", plural(len(refused), "schema"))
		return a.finish(&report.Report{Command: "register", Against: "registry " + rc.c.BaseURL()}, refused, report.Text)
	}
	if dryRun {
		fmt.Fprintf(a.stdout, "%s to register, %d unchanged (dry run)\n", plural(len(todo), "schema"), unchanged)
		return nil
	}
	var done []string
	for i, e := range todo {
		version, id, err := a.registerOne(ctx, rc, e, wt)
		if err != nil {
			var left []string
			for _, rest := range todo[i:] {
				left = append(left, rest.Subject)
			}
			registered := "nothing"
			if len(done) > 0 {
				registered = strings.Join(done, ", ")
			}
			fmt.Fprintf(a.stdout, "%s: not registered\nregistered in this run: %s\nnot registered: %s\n", e.Subject, registered, strings.Join(left, ", "))
			err.err = fmt.Errorf("%s (%s): %w\nre-run schemactl register to register the rest: what is registered is left alone", e.Subject, e.rel, err.err)
			return err
		}
		done = append(done, fmt.Sprintf("%s (version %d)", e.Subject, version))
		fmt.Fprintf(a.stdout, "%s: registered version %d (id %d)\n", e.Subject, version, id)
	}
	fmt.Fprintf(a.stdout, "%s registered, %d unchanged\n", plural(len(done), "schema"), unchanged)
	return nil
}

// planRegistrations parses every entry and checks each one the registry
// does not hold yet with its compatibility endpoint, in order. It returns
// the entries to register, the refusals, and how many are unchanged; an
// entry that references one still to be registered is left for the
// registry to check when it registers it.
func (a *app) planRegistrations(ctx context.Context, p *project, rc *registryCache, wt source, ordered []*entry, dryRun bool) (todo []*entry, refused []outcome, unchanged int, err error) {
	pending := map[*entry]bool{}
	for _, e := range ordered {
		if _, bad := a.parseLocal(ctx, p, e, wt, rc); bad != nil {
			return nil, nil, 0, &exitError{code: bad.exit, err: fmt.Errorf("%s (%s): %s", e.Subject, e.rel, badMessage(bad))}
		}
		if referencesAny(p, e, pending) {
			pending[e] = true
			todo = append(todo, e)
			if dryRun {
				fmt.Fprintf(a.stdout, "%s: would register %s (after a schema it references; the registry checks it then)\n", e.Subject, e.rel)
			}
			continue
		}
		v, err := rc.registeredVersion(ctx, e, wt)
		if err != nil {
			return nil, nil, 0, registryError(err)
		}
		if v > 0 {
			unchanged++
			fmt.Fprintf(a.stdout, "%s: unchanged (version %d)\n", e.Subject, v)
			continue
		}
		o := a.checkRegistry(ctx, p, rc, e, wt)
		switch o.sub.Status {
		case report.StatusIncompatible, report.StatusInvalid:
			refused = append(refused, o)
			continue
		case report.StatusError:
			return nil, nil, 0, &exitError{code: o.exit, err: fmt.Errorf("%s (%s): %s", e.Subject, e.rel, o.sub.Message)}
		}
		pending[e] = true
		todo = append(todo, e)
		if dryRun {
			fmt.Fprintf(a.stdout, "%s: would register %s\n", e.Subject, e.rel)
		}
	}
	return todo, refused, unchanged, nil
}

// registerOne registers e and returns its version and schema id.
func (a *app) registerOne(ctx context.Context, rc *registryCache, e *entry, wt source) (version, id int, _ *exitError) {
	text, refs, _, err := rc.wireSchema(ctx, e, wt)
	if err != nil {
		return 0, 0, &exitError{code: registryExit(err), err: err}
	}
	s := client.Schema{Schema: text, SchemaType: schemaType(e.format), References: refs}
	res, err := rc.c.Register(ctx, e.Subject, s, &client.RegisterOptions{Normalize: e.Normalize})
	if errors.Is(err, srapi.ErrIncompatibleSchema) {
		return 0, 0, &exitError{code: ExitBreaking, err: fmt.Errorf("incompatible; run schemactl check for the findings: %w", err)}
	}
	if err != nil {
		return 0, 0, &exitError{code: registryExit(err), err: err}
	}
	rc.forget(e)
	version = res.Version
	if version == 0 {
		if version, err = rc.registeredVersion(ctx, e, wt); err != nil {
			return 0, 0, &exitError{code: registryExit(err), err: err}
		}
	}
	return version, res.ID, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// referencesAny reports whether e references, as a local file, one of set.
func referencesAny(p *project, e *entry, set map[*entry]bool) bool {
	for _, r := range e.References {
		if d := p.fileDep(r); d != nil && set[d] {
			return true
		}
	}
	return false
}
