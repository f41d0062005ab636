package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

func (a *app) diffCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "diff SUBJECT [OLD [NEW]]",
		Short: "Summarise what changed between two versions of a subject",
		Long: `Diff lists the elements added, removed and changed between two schemas of
SUBJECT:

  schemactl diff SUBJECT            the registry's latest version → the mapped file
  schemactl diff SUBJECT 3          version 3 → the mapped file
  schemactl diff SUBJECT 3 latest   version 3 → the latest version

--file compares with another file instead of the mapped one.`,
		Args:              cobra.RangeArgs(1, 3),
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runDiff(cmd.Context(), args, file)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "schema file to compare (default: the file mapped to SUBJECT)")
	return cmd
}

// side is one schema of a diff and how to name it.
type side struct {
	label  string
	schema schema.Schema
	// local marks a file the user has: positions are shown only for it,
	// since a registered text is the registry's re-serialisation.
	local bool
}

func (a *app) runDiff(ctx context.Context, args []string, file string) error {
	subject := args[0]
	if len(args) == 3 && file != "" {
		return usageErrorf("--file replaces NEW; give two versions or a file, not both")
	}
	p, err := a.optionalProject()
	if err != nil {
		return err
	}
	rc, err := a.openRegistry(p)
	if err != nil {
		return err
	}
	registered := func(arg string) (side, error) {
		v, err := parseVersion(arg)
		if err != nil {
			return side{}, err
		}
		sv, err := rc.version(ctx, subject, v)
		if err != nil {
			return side{}, registryError(err)
		}
		s, err := parseRegistered(ctx, rc, sv)
		if err != nil {
			return side{}, &exitError{code: ExitUsage, err: fmt.Errorf("%s version %d: %w", subject, sv.Version, err)}
		}
		return side{label: fmt.Sprintf("%s version %d", subject, sv.Version), schema: s}, nil
	}
	oldArg := "latest"
	if len(args) > 1 {
		oldArg = args[1]
	}
	old, err := registered(oldArg)
	if err != nil {
		return err
	}
	var cur side
	if len(args) == 3 {
		if cur, err = registered(args[2]); err != nil {
			return err
		}
	} else if cur, err = a.localSide(ctx, p, rc, subject, file); err != nil {
		return err
	}
	changes, err := compat.Diff(old.schema, cur.schema)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if !old.local || !cur.local {
		for i := range changes {
			if !old.local {
				changes[i].OldPos = schema.Position{}
			}
			if !cur.local {
				changes[i].NewPos = schema.Position{}
			}
		}
	}
	writeChanges(a.stdout, old.label, cur.label, changes)
	return nil
}

// localSide parses the file to compare: --file, else the mapped file.
func (a *app) localSide(ctx context.Context, p *project, rc *registryCache, subject, file string) (side, error) {
	if p == nil && file == "" {
		return side{}, usageErrorf("no %s maps %q to a file; give --file or two versions", ConfigFileName, subject)
	}
	var e *entry
	if p != nil {
		e = p.bySubject[subject]
	}
	if file != "" {
		abs := a.resolve(file)
		sc := SubjectConfig{Subject: subject, File: abs}
		if e != nil {
			sc.Format, sc.References, sc.Normalize = e.Format, e.References, e.Normalize
		}
		f, err := formatOf(sc)
		if err != nil {
			return side{}, usageErrorf("%v", err)
		}
		e = &entry{SubjectConfig: sc, format: f, rel: abs, abs: abs}
		if p == nil {
			p = &project{configFile: ConfigFileName, bySubject: map[string]*entry{}, byFile: map[string]*entry{}}
		}
	}
	if e == nil {
		return side{}, usageErrorf("subject %q is not mapped in %s; give --file or two versions", subject, p.configFile)
	}
	src := a.dirSource(p.dir, "working tree")
	s, bad := a.parseLocal(ctx, p, e, src, rc)
	if bad != nil {
		return side{}, &exitError{code: bad.exit, err: fmt.Errorf("%s: %s", bad.sub.File, badMessage(bad))}
	}
	return side{a.displayPath(e.abs), s, true}, nil
}

// writeChanges renders a diff: one line per change, then a count.
func writeChanges(w io.Writer, oldLabel, newLabel string, changes []compat.Change) {
	fmt.Fprintf(w, "--- %s\n+++ %s\n", oldLabel, newLabel)
	var added, removed, changed int
	for _, c := range changes {
		switch c.Kind {
		case compat.Added:
			added++
			fmt.Fprintf(w, "+ %s %s%s%s\n", c.Element, c.Path, at(" (line %s)", c.NewPos), value(": ", c.New))
		case compat.Removed:
			removed++
			fmt.Fprintf(w, "- %s %s%s%s\n", c.Element, c.Path, at(" (was line %s)", c.OldPos), value(": ", c.Old))
		default:
			changed++
			fmt.Fprintf(w, "~ %s %s%s: %s → %s\n", c.Element, c.Path, at(" (line %s)", c.NewPos), orNone(c.Old), orNone(c.New))
		}
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, "no changes")
		return
	}
	fmt.Fprintf(w, "%s: %d added, %d removed, %d changed\n", plural(len(changes), "change"), added, removed, changed)
}

func at(format string, p schema.Position) string {
	if !p.IsValid() {
		return ""
	}
	return fmt.Sprintf(format, fmt.Sprint(p.Line))
}

func value(prefix, v string) string {
	if v == "" {
		return ""
	}
	return prefix + v
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
