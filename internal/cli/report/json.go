package report

import (
	"encoding/json"
	"io"
)

// The JSON document, version 1. Fields are only ever added; a field that
// changes meaning or disappears bumps Version.
type (
	jsonDocument struct {
		Version  int           `json:"version"`
		Tool     jsonTool      `json:"tool"`
		Command  string        `json:"command"`
		Against  string        `json:"against,omitempty"`
		Summary  jsonSummary   `json:"summary"`
		Subjects []jsonSubject `json:"subjects"`
	}
	jsonTool struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	}
	jsonSummary struct {
		Subjects     int `json:"subjects"`
		Compatible   int `json:"compatible"`
		Incompatible int `json:"incompatible"`
		New          int `json:"new"`
		Valid        int `json:"valid"`
		Invalid      int `json:"invalid"`
		Errored      int `json:"errored"`
		Errors       int `json:"errors"`
		Warnings     int `json:"warnings"`
	}
	jsonSubject struct {
		Subject  string        `json:"subject"`
		File     string        `json:"file"`
		Format   string        `json:"format"`
		Status   Status        `json:"status"`
		Message  string        `json:"message,omitempty"`
		Findings []jsonFinding `json:"findings"`
		// Truncated counts the findings left out of findings.
		Truncated int `json:"truncated,omitempty"`
	}
	jsonFinding struct {
		RuleID    string        `json:"ruleId"`
		Severity  string        `json:"severity"`
		Path      string        `json:"path,omitempty"`
		Message   string        `json:"message"`
		Version   int           `json:"version,omitempty"`
		Direction string        `json:"direction,omitempty"`
		New       *jsonPosition `json:"new,omitempty"`
		Old       *jsonPosition `json:"old,omitempty"`
		// NewEnclosing: the element was removed, New locates its
		// enclosing element.
		NewEnclosing bool   `json:"newEnclosing,omitempty"`
		Consumer     string `json:"consumer,omitempty"`
	}
	jsonPosition struct {
		Line   int `json:"line"`
		Column int `json:"column,omitempty"`
	}
)

func position(line, col int) *jsonPosition {
	if line <= 0 {
		return nil
	}
	return &jsonPosition{Line: line, Column: col}
}

func writeJSON(w io.Writer, r *Report, opts Options) error {
	c := r.Count()
	doc := jsonDocument{
		Version: Version,
		Tool:    jsonTool{Name: "schemactl", Version: opts.ToolVersion},
		Command: r.Command,
		Against: r.Against,
		Summary: jsonSummary{
			Subjects: c.Subjects, Compatible: c.Compatible, Incompatible: c.Incompatible, New: c.New,
			Valid: c.Valid, Invalid: c.Invalid, Errored: c.Errored, Errors: c.Errors, Warnings: c.Warnings,
		},
		Subjects: make([]jsonSubject, 0, len(r.Subjects)),
	}
	for _, s := range r.Subjects {
		js := jsonSubject{
			Subject: s.Subject, File: s.File, Format: s.Format, Status: s.Status, Message: s.Message,
			Findings: make([]jsonFinding, 0, len(s.Findings)), Truncated: s.Truncated,
		}
		for _, f := range s.Findings {
			js.Findings = append(js.Findings, jsonFinding{
				RuleID: f.RuleID, Severity: string(f.Severity), Path: f.Path, Message: f.Message,
				Version: f.Version, Direction: string(f.Direction),
				New: position(f.Line, f.Column), Old: position(f.OldLine, f.OldColumn), NewEnclosing: f.Enclosing, Consumer: f.Consumer,
			})
		}
		doc.Subjects = append(doc.Subjects, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
