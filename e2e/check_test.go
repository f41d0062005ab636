package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// recorder is a reporter that keeps the failures it is given.
type recorder struct{ failures []string }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// TestCheckRegistrationsCatchesBrokenInvariants feeds the multi-instance
// checker answers that break each invariant, so that a registry breaking
// one cannot pass TestMultiInstance unnoticed.
func TestCheckRegistrationsCatchesBrokenInvariants(t *testing.T) {
	t.Parallel()
	// Schema 0 in s1 twice (idempotent), schema 1 in s1, schema 0 in s2.
	plan := []registration{{"s1", 0}, {"s1", 0}, {"s1", 1}, {"s2", 0}}
	ok := func(id, version int) outcome { return outcome{got: registered{ID: id, Version: version}} }
	good := []outcome{ok(10, 1), ok(10, 1), ok(11, 2), ok(10, 1)}

	tests := []struct {
		name    string
		results []outcome
		want    string // a fragment of the first failure; "" for none
	}{
		{"ConsistentAnswersPass", good, ""},
		{"OneSchemaTwoIds", []outcome{ok(10, 1), ok(10, 1), ok(11, 2), ok(12, 1)}, "got ids 10 and 12"},
		{"TwoSchemasOneId", []outcome{ok(10, 1), ok(10, 1), ok(10, 2), ok(10, 1)}, "given to schemas 0 and 1"},
		{"ReRegistrationNewVersion", []outcome{ok(10, 1), ok(10, 3), ok(11, 2), ok(10, 1)}, "versions 1 and 3"},
		{"VersionGap", []outcome{ok(10, 1), ok(10, 1), ok(11, 3), ok(10, 1)}, "versions have a gap"},
		{"DuplicateVersion", []outcome{ok(10, 2), ok(10, 2), ok(11, 2), ok(10, 1)}, "version 2 given to schemas"},
		{"FailedRequest", []outcome{ok(10, 1), ok(10, 1), {err: fmt.Errorf("HTTP 500")}, ok(10, 1)}, "HTTP 500"},
		{"NoIdAnswered", []outcome{ok(10, 1), ok(10, 1), ok(0, 2), ok(10, 1)}, "want a positive id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r recorder
			got := checkRegistrations(&r, plan, tt.results)
			if tt.want == "" {
				if len(r.failures) > 0 {
					t.Fatalf("failures %q, want none", r.failures)
				}
				if !slices.Equal(got.versions["s1"], []int{0, 1}) || !slices.Equal(got.versions["s2"], []int{0}) || got.idOf[1] != 11 {
					t.Errorf("expected state %+v", got)
				}
				return
			}
			if len(r.failures) == 0 || !strings.Contains(r.failures[0], tt.want) {
				t.Errorf("failures %q, want the first to mention %q", r.failures, tt.want)
			}
		})
	}
}

func TestWritePlanMixesReRegistrations(t *testing.T) {
	t.Parallel()
	plan := writePlan()
	if len(plan) != registrations {
		t.Fatalf("%d registrations, want %d", len(plan), registrations)
	}
	seen := map[registration]int{}
	schemas := map[int]bool{}
	for _, r := range plan {
		seen[r]++
		schemas[r.schema] = true
	}
	sameSubject, otherSubject := 0, 0
	for r, n := range seen {
		if n > 1 {
			sameSubject += n - 1
		}
		if r.subject != subjectName(r.schema%subjectCount) {
			otherSubject++
		}
	}
	if len(schemas) != distinctSchemas || sameSubject == 0 || otherSubject == 0 {
		t.Errorf("%d distinct schemas (want %d), %d idempotent and %d cross-subject re-registrations (want some of each)",
			len(schemas), distinctSchemas, sameSubject, otherSubject)
	}
	if first := plan[:registrations/4]; !slices.ContainsFunc(first, func(r registration) bool { return r.schema >= distinctSchemas/2 }) {
		t.Error("the plan is not shuffled")
	}
}
