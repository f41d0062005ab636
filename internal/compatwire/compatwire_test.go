package compatwire_test

import (
	"encoding/json"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/compatwire"
	"github.com/schemata-dev/schemata/schema"
)

func TestFindingRendersEveryField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   compat.Finding
		want string
	}{
		{
			name: "PlacedOnBothSides",
			in: compat.Finding{
				RuleID: "FIELD_REMOVED", Severity: compat.Error, Path: "Order.note", Message: "field removed",
				Version: 3, Direction: compat.DirBackward,
				New: schema.Position{Line: 4, Column: 7}, Old: schema.Position{Line: 5, Column: 3}, Consumer: "billing",
			},
			want: `{"ruleId":"FIELD_REMOVED","severity":"error","path":"Order.note","message":"field removed","version":3,"direction":"backward","new":{"line":4,"column":7},"old":{"line":5,"column":3},"consumer":"billing"}`,
		},
		{
			name: "UnknownPositionsAndNoConsumerAreLeftOut",
			in:   compat.Finding{RuleID: "R", Severity: compat.Warning, Message: "m", Direction: compat.DirPolicy},
			want: `{"ruleId":"R","severity":"warning","path":"","message":"m","version":0,"direction":"policy"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(compatwire.Finding(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFindingsOfNothingIsAnEmptyList(t *testing.T) {
	t.Parallel()
	got, err := json.Marshal(compatwire.Findings(nil))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "[]" {
		t.Errorf("got %s, want []", got)
	}
}
