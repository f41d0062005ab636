package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

func (a *app) lintCommand() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "lint [SUBJECT...]",
		Short: "Parse and validate every mapped schema",
		Long: `Lint parses and validates every mapped schema (or the named subjects, or those
changed since --changed-since), resolving references to registered subjects
through the registry when one is configured.

With --additive it also checks each schema, locally, under the additive-only
policy: against the same file in --against DIR or --against git:REF, or else
against the registry's latest version of the subject. Unlike check, this
comparison does not know when the registry first saw a deprecation, so
removing a deprecated element passes only once its sunset date has passed.`,
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runLint(cmd, args, &f)
		},
	}
	f.register(cmd)
	return cmd
}

func (a *app) runLint(cmd *cobra.Command, args []string, f *reportFlags) error {
	ctx := cmd.Context()
	format, p, entries, err := a.prepareReport(ctx, args, f)
	if err != nil {
		return err
	}
	// lint compares only when asked to: local.additive: true or --additive.
	level, policy, err := a.localPolicy(cmd, p, f, false)
	if err != nil {
		return err
	}
	additive := policy.AdditiveOnly
	wt := a.workingTree(p)
	rep := &report.Report{Command: "lint"}

	// A registry resolves references to registered subjects, and is the
	// baseline of --additive without --against.
	var rc *registryCache
	if _, err := a.registryURL(p); err == nil {
		if rc, err = a.openRegistry(p); err != nil {
			return err
		}
	} else if additive && f.against == "" {
		return usageErrorf("lint --additive needs --against or a registry to compare with")
	}
	var base source
	if f.against != "" {
		if base, err = a.baseline(ctx, p, f.against); err != nil {
			return err
		}
		rep.Against = base.String()
	} else if additive {
		rep.Against = "registry " + rc.c.BaseURL()
	}
	outcomes := runParallel(ctx, entries, f.jobs, func(ctx context.Context, e *entry) outcome {
		newSchema, bad := a.parseLocal(ctx, p, e, wt, rc)
		if bad != nil {
			return *bad
		}
		sub := a.newSubject(p, e)
		if !additive {
			sub.Status = report.StatusValid
			return outcome{sub, ExitOK}
		}
		if base != nil {
			return a.compareWithBaseline(ctx, p, e, newSchema, base, level, policy)
		}
		oldSchema, version, err := a.registeredLatest(ctx, rc, e)
		switch {
		case errors.Is(err, srapi.ErrSubjectNotFound):
			sub.Status, sub.Message = report.StatusNew, "the subject is not registered yet"
			return outcome{sub, ExitOK}
		case err != nil:
			sub.Status, sub.Message = report.StatusError, err.Error()
			return outcome{sub, registryExit(err)}
		}
		o := a.compareLocal(sub, level, policy, newSchema, oldSchema)
		for i := range o.sub.Findings {
			o.sub.Findings[i].Version = version
		}
		return o
	})
	return a.finish(rep, outcomes, format)
}

// registeredLatest fetches and parses the latest registered version of
// e's subject, with its references.
func (a *app) registeredLatest(ctx context.Context, rc *registryCache, e *entry) (schema.Schema, int, error) {
	sv, err := rc.version(ctx, e.Subject, client.Latest)
	if err != nil {
		return nil, 0, err
	}
	s, err := parseRegistered(ctx, rc, sv)
	return s, sv.Version, err
}

// parseRegistered parses a registered version, fetching its references.
func parseRegistered(ctx context.Context, rc *registryCache, sv *client.SubjectVersion) (schema.Schema, error) {
	format, err := schema.ParseFormat(sv.SchemaType)
	if err != nil {
		return nil, err
	}
	deps := depResolver{p: rc.p, registry: rc}
	for _, r := range sv.References {
		if err := deps.resolveRegistered(ctx, r.Name, r.Subject, r.Version); err != nil {
			return nil, err
		}
	}
	return parseSchema(format, "schema.proto", sv.Schema.Schema, deps.out)
}
