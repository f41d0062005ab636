// Package report renders the findings of `schemactl check` and
// `schemactl lint` in the output formats CI systems read: text for people,
// GitHub workflow commands, JUnit XML, SARIF 2.1.0 and a versioned JSON
// document. Every format is a rendering of the same Report.
//
// report depends on compat (for the rule table), the API's contract
// (srapi: the finding shape) and compatwire (the one conversion between
// them), and the standard library only; it knows nothing about the
// registry, the client or the command line.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/compatwire"
	"github.com/schemata-dev/schemata/srapi"
)

// Version is the version of the JSON document; it changes only when a
// field changes meaning or disappears.
const Version = 1

// Status is the outcome for one subject.
type Status string

// Subject statuses.
const (
	// StatusCompatible: checked, no error finding.
	StatusCompatible Status = "compatible"
	// StatusIncompatible: checked, at least one error finding.
	StatusIncompatible Status = "incompatible"
	// StatusNew: nothing to compare with (the subject is not registered,
	// or the baseline has no such file).
	StatusNew Status = "new"
	// StatusValid: lint parsed the schema and had nothing to compare.
	StatusValid Status = "valid"
	// StatusInvalid: the schema does not parse; its finding says why.
	StatusInvalid Status = "invalid"
	// StatusError: the subject could not be checked; Message says why.
	StatusError Status = "error"
)

// RuleSchemaInvalid is the rule ID of the finding that reports a schema
// that does not parse. It is not a compat rule: an invalid schema is an
// error, never an incompatibility.
const RuleSchemaInvalid = "SCHEMA_INVALID"

// Report is what one run found, subject by subject.
type Report struct {
	// Command is "check" or "lint".
	Command string
	// Against describes the baseline: "registry <url>", "git:<ref>" or
	// "dir:<path>"; empty when nothing was compared.
	Against  string
	Subjects []Subject
}

// Subject is the outcome for one mapped schema file.
type Subject struct {
	Subject string
	// File is the schema file, slash-separated and relative to the
	// directory paths are reported from.
	File   string
	Format string
	Status Status
	// Message explains a StatusNew or StatusError outcome.
	Message  string
	Findings []Finding
	// Truncated counts the findings the checker left out of Findings to
	// keep its answer bounded.
	Truncated int
}

// Finding is a compat finding placed in a file.
type Finding struct {
	RuleID   string
	Severity compat.Severity
	Path     string
	Message  string
	// Version is the earlier version compared with (0 when none).
	Version   int
	Direction compat.Direction
	// Line and Column locate the finding in Subject.File; zero when
	// unknown (an element that exists only in the old schema).
	Line, Column int
	// OldLine and OldColumn locate it in the baseline, when known.
	OldLine, OldColumn int
	// Enclosing is set when the element was removed: Line and Column then
	// locate the element that enclosed it in Subject.File.
	Enclosing bool
	Consumer  string
}

// truncatedNote says how many findings the checker left out of s, ""
// when none. Every format carries it, so a capped answer never reads as
// a complete one.
func (s Subject) truncatedNote() string {
	if s.Truncated <= 0 {
		return ""
	}
	return srapi.TruncatedMessage(s.Truncated) + ", not shown"
}

// String renders f without its location: path: message (RULE_ID), and
// for a removed element where it was.
func (f Finding) String() string {
	return compat.Finding{Path: f.Path, Message: f.Message, RuleID: f.RuleID}.String() + f.removedNote()
}

// removedNote says, for a removed element, that the finding is shown at
// its enclosing element and where the element was in the old text.
func (f Finding) removedNote() string {
	if !f.Enclosing {
		return ""
	}
	old := "the old schema"
	if f.Version > 0 {
		old = fmt.Sprintf("version %d", f.Version)
	}
	if f.OldLine > 0 {
		return fmt.Sprintf(" [removed; shown at its enclosing element, it was at line %d of %s]", f.OldLine, old)
	}
	return " [removed; shown at its enclosing element]"
}

// location renders file:line:col, file:line or file.
func (f Finding) location(file string) string {
	switch {
	case f.Line > 0 && f.Column > 0:
		return fmt.Sprintf("%s:%d:%d", file, f.Line, f.Column)
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", file, f.Line)
	}
	return file
}

// Counts summarises a report.
type Counts struct {
	Subjects, Compatible, Incompatible, New, Valid, Invalid, Errored int
	Errors, Warnings                                                 int
}

// Count tallies the subjects by status and the findings by severity.
func (r *Report) Count() Counts {
	var c Counts
	for _, s := range r.Subjects {
		c.Subjects++
		switch s.Status {
		case StatusCompatible:
			c.Compatible++
		case StatusIncompatible:
			c.Incompatible++
		case StatusNew:
			c.New++
		case StatusValid:
			c.Valid++
		case StatusInvalid:
			c.Invalid++
		case StatusError:
			c.Errored++
		}
		for _, f := range s.Findings {
			if f.Severity == compat.Warning {
				c.Warnings++
			} else {
				c.Errors++
			}
		}
	}
	return c
}

// String renders the counts as one sentence fragment, e.g.
// "3 subjects: 1 incompatible, 2 compatible; 2 errors, 1 warning".
func (c Counts) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(c.Invalid, "invalid")
	add(c.Errored, "not checked")
	add(c.Incompatible, "incompatible")
	add(c.Compatible, "compatible")
	add(c.Valid, "valid")
	add(c.New, "new")
	s := plural(c.Subjects, "subject")
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s + "; " + plural(c.Errors, "error") + ", " + plural(c.Warnings, "warning")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Format names an output format.
type Format string

// The output formats.
const (
	Text   Format = "text"
	JSON   Format = "json"
	GitHub Format = "github"
	JUnit  Format = "junit"
	SARIF  Format = "sarif"
)

// Formats lists every format, for flag help and completion.
var Formats = []Format{Text, JSON, GitHub, JUnit, SARIF}

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown output format %q (want one of text, json, github, junit, sarif)", s)
}

// Options tune rendering.
type Options struct {
	// Color adds ANSI colours to text output.
	Color bool
	// ToolVersion is reported in SARIF and JSON.
	ToolVersion string
	// LookupRule describes rules for SARIF; nil means compat.LookupRule.
	LookupRule func(id string) (compat.Rule, bool)
}

// Write renders r to w in format f.
func Write(w io.Writer, r *Report, f Format, opts Options) error {
	if opts.LookupRule == nil {
		opts.LookupRule = compat.LookupRule
	}
	var err error
	switch f {
	case Text:
		err = writeText(w, r, opts)
	case JSON:
		err = writeJSON(w, r, opts)
	case GitHub:
		err = writeGitHub(w, r)
	case JUnit:
		err = writeJUnit(w, r)
	case SARIF:
		err = writeSARIF(w, r, opts)
	default:
		return fmt.Errorf("unknown output format %q", f)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

// FromWire places a finding of the API's contract in a file: its new
// position is the position in Subject.File, its old one in the baseline.
// Every report finding that comes from a check is made here, whether the
// registry sent it or the checker ran locally (FromCompat). A severity
// other than warning counts as an error.
func FromWire(f srapi.Finding) Finding {
	out := Finding{
		RuleID: f.RuleID, Severity: compat.Error, Path: f.Path, Message: f.Message,
		Version: f.Version, Direction: compat.Direction(f.Direction), Consumer: f.Consumer,
	}
	if compat.Severity(f.Severity) == compat.Warning {
		out.Severity = compat.Warning
	}
	if f.New != nil {
		out.Line, out.Column = f.New.Line, f.New.Column
	}
	if f.Old != nil {
		out.OldLine, out.OldColumn = f.Old.Line, f.Old.Column
	}
	out.Enclosing = f.NewEnclosing && out.Line > 0
	return out
}

// FromCompat places a finding of a local check in the new schema's file,
// through the same conversion the registry renders its findings with.
func FromCompat(f compat.Finding) Finding {
	return FromWire(compatwire.Finding(f))
}

// Sort orders findings by position in the file (unplaced ones last),
// keeping the checker's order otherwise.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		li, lj := fs[i].Line, fs[j].Line
		if (li == 0) != (lj == 0) {
			return lj == 0
		}
		if li != lj {
			return li < lj
		}
		return fs[i].Column < fs[j].Column
	})
}
