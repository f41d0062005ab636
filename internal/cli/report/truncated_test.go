package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
)

// TestTruncatedFindingsAreCounted: when the checker left findings out, the
// text and JSON reports say how many.
func TestTruncatedFindingsAreCounted(t *testing.T) {
	t.Parallel()
	rep := &report.Report{Command: "check", Against: "registry", Subjects: []report.Subject{{
		Subject: "orders-value", File: "schemas/orders.avsc", Format: "AVRO", Status: report.StatusIncompatible,
		Findings:  []report.Finding{{RuleID: "AVRO_TYPE_MISMATCH", Severity: compat.Error, Path: "Order.id", Message: "type changed", Line: 3, Column: 5}},
		Truncated: 300,
	}}}
	tests := []struct {
		format report.Format
		want   string
	}{
		{report.Text, "schemas/orders.avsc: and 300 more findings, not shown\n"},
		{report.JSON, `"truncated": 300`},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := report.Write(&buf, rep, tt.format, report.Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("%s report lacks %q:\n%s", tt.format, tt.want, buf.String())
		}
	}
}
