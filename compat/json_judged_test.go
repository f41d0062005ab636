package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestJSONPolicyJudgesBeforeCapping: under the additive-only policy, the
// findings the policy judges itself (removals of properties deprecated
// long enough) are dropped before findings are capped, so that however
// many there are, they never push out a finding that stands.
func TestJSONPolicyJudgesBeforeCapping(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name       string
		deprecated int
	}{
		{"Few", 10},
		{"MoreThanTheCap", 2*MaxFindings + 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The old version declares the deprecated properties, then one
			// that was never deprecated; the new one declares none.
			var b strings.Builder
			b.WriteString(`{"type":"object","properties":{`)
			for i := range tt.deprecated {
				fmt.Fprintf(&b, `"d%d":{"type":"string","deprecated":true},`, i)
			}
			b.WriteString(`"kept":{"type":"integer"}}}`)
			old := mustJSON(t, b.String())
			new := mustJSON(t, `{"type":"object"}`)
			res := Check(Request{
				Level:   Full,
				Policy:  Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: 24 * time.Hour},
				New:     new,
				History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(-1, 0, 0)}},
			})
			if res.Truncated != 0 {
				t.Errorf("Truncated = %d, want 0: the judged removals were counted", res.Truncated)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.RuleID+" "+f.Path)
			}
			want := []string{
				ruleJSONPropertyAddedToOpenContentModel.ID + " /properties/kept",
				ruleJSONAdditivePropertyRemoved.ID + " /properties/kept",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
