package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
)

// backfillWire is the registry's answer to a backfill check.
type backfillWire struct {
	Consumer   string `json:"consumer"`
	Owner      string `json:"owner"`
	Compatible bool   `json:"compatible"`
	Subjects   []struct {
		Subject  string    `json:"subject"`
		Window   string    `json:"window"`
		Since    time.Time `json:"since"`
		Versions []struct {
			Version int  `json:"version"`
			ID      int  `json:"id"`
			Deleted bool `json:"deleted"`
		} `json:"versions"`
		Findings []findingWire `json:"findings"`
	} `json:"subjects"`
}

// findingWire is a finding as the registry's JSON carries it.
type findingWire struct {
	RuleID    string `json:"ruleId"`
	Severity  string `json:"severity"`
	Path      string `json:"path"`
	Message   string `json:"message"`
	Version   int    `json:"version"`
	Direction string `json:"direction"`
	New       *struct {
		Line   int `json:"line"`
		Column int `json:"column"`
	} `json:"new"`
	Old *struct {
		Line   int `json:"line"`
		Column int `json:"column"`
	} `json:"old"`
	Consumer string `json:"consumer"`
}

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
	var body any
	files := map[string]string{}
	if decl := declaredConsumer(p, name); decl != nil {
		w, err := decl.wire(p.dir)
		if err != nil {
			return err
		}
		body = w
		for _, r := range decl.Reads {
			files[r.Subject] = r.Reader
		}
	}
	var res backfillWire
	if _, err := a.v1(cmd.Context(), p, http.MethodPost, "/v1/consumers/"+url.PathEscape(name)+"/backfill", nil, body, &res); err != nil {
		return err
	}
	base, _ := a.registryURL(p)
	rep := &report.Report{Command: "check", Against: fmt.Sprintf("registry %s, backfill of consumer %s", base, name)}
	var outcomes []outcome
	for _, s := range res.Subjects {
		sub := report.Subject{Subject: s.Subject, File: files[s.Subject], Status: report.StatusCompatible}
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
			fd := report.Finding{
				RuleID: fw.RuleID, Severity: compat.Severity(fw.Severity), Path: fw.Path, Message: fw.Message,
				Version: fw.Version, Direction: compat.Direction(fw.Direction), Consumer: fw.Consumer,
			}
			// The file is the consumer's reader: its side is "old".
			if fw.Old != nil {
				fd.Line, fd.Column = fw.Old.Line, fw.Old.Column
			}
			if fw.New != nil {
				fd.OldLine, fd.OldColumn = fw.New.Line, fw.New.Column
			}
			sub.Findings = append(sub.Findings, fd)
			if fd.Severity == compat.Error {
				sub.Status, exit = report.StatusIncompatible, ExitBreaking
			}
		}
		outcomes = append(outcomes, outcome{sub: sub, exit: exit})
	}
	return a.finish(rep, outcomes, format)
}
