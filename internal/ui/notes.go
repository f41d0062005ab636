package ui

import (
	"fmt"
	"strings"

	"github.com/schemata-dev/schemata/compat"
)

// note is a finding or a diff entry shown beside the line it concerns.
type note struct {
	// Side is "old" or "new": which text Line counts in.
	Side string
	Line int
	// Severity is "error" or "warning" for findings, "" for changes.
	Severity string
	// RuleID names the rule of a finding; Kind the kind of a change.
	RuleID  string
	Kind    string
	Path    string
	Message string
	// Version is the earlier version a finding compared with.
	Version int
}

// findingNote places a finding on its new position, else its old one;
// oldD and newD map stored-text positions to displayed lines. A removed
// element goes on its removed row: its new position only locates what
// enclosed it.
func findingNote(f compat.Finding, oldD, newD displayText) note {
	n := note{Severity: string(f.Severity), RuleID: f.RuleID, Path: f.Path, Message: f.Message, Version: f.Version}
	if n.Severity == "" {
		n.Severity = string(compat.Error)
	}
	newLine, oldLine := newD.line(f.New), oldD.line(f.Old)
	if f.NewEnclosing && oldLine > 0 {
		newLine = 0
	}
	n.Side, n.Line = place(newLine, oldLine)
	return n
}

// changeNote places a diff entry: an addition in the new text, a removal
// in the old one, a change where the new text has it.
func changeNote(c compat.Change, oldD, newD displayText) note {
	n := note{Kind: string(c.Kind), Path: c.Path, Message: describeChange(c)}
	switch c.Kind {
	case compat.Added:
		n.Side, n.Line = place(newD.line(c.NewPos), 0)
	case compat.Removed:
		n.Side, n.Line = place(0, oldD.line(c.OldPos))
	default:
		n.Side, n.Line = place(newD.line(c.NewPos), oldD.line(c.OldPos))
	}
	return n
}

// place picks the new line when known, else the old one (0: unknown).
func place(newLine, oldLine int) (side string, line int) {
	switch {
	case newLine > 0:
		return "new", newLine
	case oldLine > 0:
		return "old", oldLine
	}
	return "", 0
}

// describeChange renders a diff entry as a sentence fragment, e.g.
// "field added", "type changed from int to long".
func describeChange(c compat.Change) string {
	element := strings.ReplaceAll(c.Element, "_", " ")
	if element == "" {
		element = "element"
	}
	switch c.Kind {
	case compat.Added:
		if c.New != "" {
			return fmt.Sprintf("%s added: %s", element, c.New)
		}
		return element + " added"
	case compat.Removed:
		if c.Old != "" {
			return fmt.Sprintf("%s removed: %s", element, c.Old)
		}
		return element + " removed"
	}
	if c.Old != "" || c.New != "" {
		return fmt.Sprintf("%s changed from %s to %s", element, orNone(c.Old), orNone(c.New))
	}
	return element + " changed"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// worst returns the strongest severity among notes: "error", "warning"
// or "" when none is a finding.
func worst(notes []note) string {
	out := ""
	for _, n := range notes {
		switch n.Severity {
		case string(compat.Error):
			return n.Severity
		case string(compat.Warning):
			out = n.Severity
		}
	}
	return out
}
