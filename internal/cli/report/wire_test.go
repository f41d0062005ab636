package report_test

import (
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

func TestFromWirePlacesTheFindingInTheNewFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   srapi.Finding
		want report.Finding
	}{
		{
			name: "BothSidesPlaced",
			in: srapi.Finding{RuleID: "R", Severity: "warning", Path: "A.b", Message: "m", Version: 2, Direction: "forward",
				New: &srapi.Position{Line: 3, Column: 5}, Old: &srapi.Position{Line: 7, Column: 1}, Consumer: "c"},
			want: report.Finding{RuleID: "R", Severity: compat.Warning, Path: "A.b", Message: "m", Version: 2, Direction: compat.DirForward,
				Line: 3, Column: 5, OldLine: 7, OldColumn: 1, Consumer: "c"},
		},
		{
			name: "UnplacedAndUnknownSeverityIsAnError",
			in:   srapi.Finding{RuleID: "R", Severity: "fatal", Message: "m"},
			want: report.Finding{RuleID: "R", Severity: compat.Error, Message: "m"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := report.FromWire(tt.in); got != tt.want {
				t.Errorf("FromWire = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A local check and the registry place a finding alike.
func TestFromCompatIsFromWireOfTheRenderedFinding(t *testing.T) {
	t.Parallel()
	f := compat.Finding{RuleID: "R", Severity: compat.Error, Path: "A.b", Message: "m", Version: 1, Direction: compat.DirBackward,
		New: schema.Position{Line: 2, Column: 3}}
	want := report.Finding{RuleID: "R", Severity: compat.Error, Path: "A.b", Message: "m", Version: 1, Direction: compat.DirBackward,
		Line: 2, Column: 3}
	if got := report.FromCompat(f); got != want {
		t.Errorf("FromCompat = %+v, want %+v", got, want)
	}
}
