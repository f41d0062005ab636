// Package compatwire puts the checker's findings on the wire: the one
// conversion from compat.Finding to srapi.Finding.
//
// The API renders findings in verbose compatibility answers and backfill
// checks, schemactl reports the findings of its offline checks, and the
// UI shows the findings of its check page; all three convert here, so a
// finding reads the same wherever it is shown.
//
// It sits between compat and srapi because neither may import the other:
// the checker knows nothing of HTTP, and the contract imports the
// standard library only. compatwire must import nothing else.
package compatwire

import (
	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// Finding converts a checker finding. Unknown positions become nil.
func Finding(f compat.Finding) srapi.Finding {
	return srapi.Finding{
		RuleID:    f.RuleID,
		Severity:  string(f.Severity),
		Path:      f.Path,
		Message:   f.Message,
		Version:   f.Version,
		Direction: string(f.Direction),
		New:       Position(f.New),
		Old:       Position(f.Old),
		Consumer:  f.Consumer,
		// Only meaningful with a position to enclose.
		NewEnclosing: f.NewEnclosing && f.New.IsValid(),
	}
}

// Findings converts fs, answering an empty (never nil) slice so that it
// renders as [].
func Findings(fs []compat.Finding) []srapi.Finding {
	out := make([]srapi.Finding, len(fs))
	for i, f := range fs {
		out[i] = Finding(f)
	}
	return out
}

// Position converts a place in schema text; an unknown one is nil.
func Position(p schema.Position) *srapi.Position {
	if !p.IsValid() {
		return nil
	}
	return &srapi.Position{Line: p.Line, Column: p.Column}
}
