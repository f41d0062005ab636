package compat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// recordOf is an Avro record with n int fields without defaults.
func recordOf(n int) string {
	fs := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf(`{"name":"f%d","type":"int"}`, i)
	}
	return `{"type":"record","name":"R","fields":[` + strings.Join(fs, ",") + `]}`
}

func TestCheckCapsFindings(t *testing.T) {
	t.Parallel()
	old := mustAvro(t, recordOf(0))
	n := mustAvro(t, recordOf(MaxFindings+500))
	res := Check(Request{Level: Backward, New: n, History: []Version{{Version: 1, Schema: old}}})
	if len(res.Findings) != MaxFindings || res.Truncated != 500 {
		t.Fatalf("Check() kept %d findings and left out %d, want %d and 500", len(res.Findings), res.Truncated, MaxFindings)
	}
	if res.Compatible() {
		t.Error("Compatible() = true for a change with error findings")
	}
}

func TestCheckContextStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	old := mustAvro(t, recordOf(1))
	_, err := CheckContext(ctx, Request{Level: FullTransitive, New: mustAvro(t, recordOf(2)), History: []Version{
		{Version: 1, Schema: old}, {Version: 2, Schema: old},
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CheckContext() error = %v, want context.Canceled", err)
	}
	if _, err := DiffContext(ctx, old, old); !errors.Is(err, context.Canceled) {
		t.Fatalf("DiffContext() error = %v, want context.Canceled", err)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	e := func(p string) Finding { return Finding{Path: p, Severity: Error} }
	w := func(p string) Finding { return Finding{Path: p, Severity: Warning} }
	paths := func(fs []Finding) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Path)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name      string
		findings  []Finding
		max       int
		want      string
		truncated int
	}{
		{name: "WithinTheCapNothingChanges", findings: []Finding{w("a"), e("b")}, max: 2, want: "a b"},
		{name: "OrderIsKept", findings: []Finding{w("a"), w("b"), w("c")}, max: 2, want: "a b", truncated: 1},
		{name: "ErrorsAreKeptBeforeWarnings", findings: []Finding{w("a"), w("b"), e("c")}, max: 2, want: "a c", truncated: 1},
		{name: "OnlyErrorsWhenTheyFill", findings: []Finding{w("a"), e("b"), e("c"), e("d")}, max: 2, want: "b c", truncated: 2},
		{name: "ZeroKeepsOneError", findings: []Finding{w("a"), e("b")}, max: 0, want: "b", truncated: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Result{Findings: tt.findings}
			wasCompatible := r.Compatible()
			r.Truncate(tt.max)
			if got := paths(r.Findings); got != tt.want || r.Truncated != tt.truncated {
				t.Errorf("Truncate(%d) kept %q and left out %d, want %q and %d", tt.max, got, r.Truncated, tt.want, tt.truncated)
			}
			if r.Compatible() != wasCompatible {
				t.Errorf("Truncate changed Compatible() from %v", wasCompatible)
			}
		})
	}
}
