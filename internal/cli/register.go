package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
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

Schemas already registered are left alone, so register is safe to re-run.
With --dry-run nothing is written.`,
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRegister(cmd.Context(), args, changedSince, dryRun)
		},
	}
	cmd.Flags().StringVar(&changedSince, "changed-since", "", "only schemas changed since this git ref (and the schemas referencing them)")
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "say what would be registered, register nothing")
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
	c, err := a.newClient(p)
	if err != nil {
		return err
	}
	rc := newRegistryCache(c, p)
	wt := a.workingTree(p)
	var registered, unchanged int
	// pending holds what a dry run would register: a schema referencing
	// one of them would be registered too, pointing at its new version.
	pending := map[*entry]bool{}
	for _, e := range p.inReferenceOrder(entries) {
		if _, bad := a.parseLocal(ctx, p, e, wt, rc); bad != nil {
			return &exitError{code: bad.exit, err: fmt.Errorf("%s (%s): %s", e.Subject, e.rel, badMessage(bad))}
		}
		if dryRun && referencesAny(p, e, pending) {
			pending[e] = true
			fmt.Fprintf(a.stdout, "%s: would register %s (after a schema it references)\n", e.Subject, e.rel)
			continue
		}
		v, err := rc.registeredVersion(ctx, e, wt)
		if err != nil {
			return registryError(err)
		}
		if v > 0 {
			unchanged++
			fmt.Fprintf(a.stdout, "%s: unchanged (version %d)\n", e.Subject, v)
			continue
		}
		if dryRun {
			pending[e] = true
			fmt.Fprintf(a.stdout, "%s: would register %s\n", e.Subject, e.rel)
			continue
		}
		text, refs, _, err := rc.wireSchema(ctx, e, wt)
		if err != nil {
			return registryError(err)
		}
		s := client.Schema{Schema: text, SchemaType: schemaType(e.format), References: refs}
		res, err := c.Register(ctx, e.Subject, s, &client.RegisterOptions{Normalize: e.Normalize})
		if errors.Is(err, srapi.ErrIncompatibleSchema) {
			return &exitError{code: ExitBreaking, err: fmt.Errorf("%s (%s) is incompatible; run schemactl check for the findings: %w", e.Subject, e.rel, err)}
		}
		if err != nil {
			return registryError(err)
		}
		rc.forget(e)
		version := res.Version
		if version == 0 {
			if version, err = rc.registeredVersion(ctx, e, wt); err != nil {
				return registryError(err)
			}
		}
		registered++
		fmt.Fprintf(a.stdout, "%s: registered version %d (id %d)\n", e.Subject, version, res.ID)
	}
	if dryRun {
		fmt.Fprintf(a.stdout, "%s to register, %d unchanged (dry run)\n", plural(len(pending), "schema"), unchanged)
	} else {
		fmt.Fprintf(a.stdout, "%s registered, %d unchanged\n", plural(registered, "schema"), unchanged)
	}
	return nil
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
