package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/srapi"
)

// runConsumerCheck is `check --consumer NAME`, run in the consumer's own
// CI: the registry checks the consumer's reader (as declared in
// schemactl.yaml when it is, else as registered) against every writer
// version within its backfill window, soft-deleted ones included. Findings
// are located in the reader schema file.
func (a *app) runConsumerCheck(cmd *cobra.Command, name string, f *reportFlags) error {
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return usageErrorf("%v", err)
	}
	a.reportFormat = format
	if f.against != "" || f.changedSince != "" || cmd.Flags().NArg() > 0 {
		return usageErrorf("--consumer checks the registry's history; it takes no subjects, --against or --changed-since")
	}
	p, err := a.optionalProject()
	if err != nil {
		return err
	}
	var candidate *srapi.Consumer
	files := map[string]string{}
	if decl := declaredConsumer(p, name); decl != nil {
		if candidate, err = decl.wire(p.dir); err != nil {
			return err
		}
		for _, r := range decl.Reads {
			files[r.Subject] = r.Reader
		}
	}
	rc, err := a.newClient(p)
	if err != nil {
		return err
	}
	res, err := rc.CheckBackfill(cmd.Context(), name, candidate)
	if err != nil {
		return registryError(err)
	}
	base, _ := a.registryURL(p)
	rep := &report.Report{Command: "check", Against: fmt.Sprintf("registry %s, backfill of consumer %s", base, name)}
	var outcomes []outcome
	for _, s := range res.Subjects {
		sub := report.Subject{Subject: s.Subject, File: files[s.Subject], Status: report.StatusCompatible, Truncated: s.Truncated}
		var versions []string
		for _, v := range s.Versions {
			label := fmt.Sprint(v.Version)
			if v.Deleted {
				label += " (soft-deleted)"
			}
			versions = append(versions, label)
		}
		window := s.Window
		if window == "" {
			window = "no backfill window"
		}
		sub.Message = fmt.Sprintf("read versions %s (%s)", strings.Join(versions, ", "), window)
		if len(versions) == 0 {
			sub.Message = "the subject has no versions yet"
		}
		exit := ExitOK
		for _, fw := range s.Findings {
			// The file is the consumer's reader, the "old" side of the
			// check: place the finding there.
			fw.New, fw.Old = fw.Old, fw.New
			fd := report.FromWire(fw)
			sub.Findings = append(sub.Findings, fd)
			if fd.Severity == compat.Error {
				sub.Status, exit = report.StatusIncompatible, ExitBreaking
			}
		}
		outcomes = append(outcomes, outcome{sub: sub, exit: exit})
	}
	return a.finish(rep, outcomes, format)
}
