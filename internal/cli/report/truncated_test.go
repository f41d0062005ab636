package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
)

// TestTruncatedFindingsAreCounted: when the checker left findings out,
// every report format says how many.
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
		{report.GitHub, "::warning file=schemas/orders.avsc,title=schemactl%3A orders-value::orders-value: and 300 more findings, not shown\n"},
		{report.JUnit, `<property name="truncated" value="300"></property>`},
		{report.JUnit, `<system-out>schemas/orders.avsc: and 300 more findings, not shown</system-out>`},
		{report.SARIF, `"text": "orders-value: and 300 more findings, not shown"`},
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
	var md bytes.Buffer
	if err := report.WriteMarkdownSummary(&md, rep); err != nil {
		t.Fatal(err)
	}
	if want := "- and 300 more findings, not shown\n"; !strings.Contains(md.String(), want) {
		t.Errorf("Markdown summary lacks %q:\n%s", want, md.String())
	}
}
