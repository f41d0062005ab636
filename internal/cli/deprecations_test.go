package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/srapi"
)

// sampleReport is a report with one element of each kind of interest: an
// overdue field still read and fetched, a recorded version deprecation
// without a sunset, and a marker nobody reads.
func sampleReport(t *testing.T) *srapi.DeprecationReport {
	t.Helper()
	const doc = `{
  "generatedAt": "2026-02-20T09:00:00Z",
  "usageDays": 30,
  "items": [
    {"subject": "orders-value", "path": "Order.note", "kind": "field", "source": "schema+record", "recordId": 3,
     "reason": "free text | moves to comment", "replacement": "Order.comment",
     "since": "2026-01-10T09:00:00Z", "sunset": "2026-02-15T00:00:00Z", "removableFrom": "2026-02-15T00:00:00Z",
     "daysLeft": -5, "overdue": true, "status": "overdue",
     "consumers": [{"name": "orders-etl", "owner": "data-platform"}, {"name": "fraud", "owner": "risk"}],
     "clients": [{"identity": "client:orders-etl-prod", "count": 1200, "lastSeen": "2026-02-19T23:00:00Z", "schemaIds": [1, 2]}]},
    {"subject": "payments-value", "version": 1, "kind": "version", "source": "record", "recordId": 4,
     "since": "2026-02-01T00:00:00Z", "removableFrom": "2026-03-03T00:00:00Z",
     "daysLeft": 12, "overdue": false, "status": "deprecated", "consumers": [], "clients": []},
    {"subject": "shop-proto", "path": "shop.v1.Order.legacy_id", "kind": "field", "source": "schema",
     "since": "2025-12-01T00:00:00Z", "removableFrom": "2025-12-31T00:00:00Z",
     "daysLeft": -51, "overdue": true, "status": "removable", "consumers": [], "clients": []}
  ]
}`
	var r srapi.DeprecationReport
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestDeprecationReportFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format, golden string
	}{
		{"text", "deprecations/report.txt"},
		{"json", "deprecations/report.json"},
		{"markdown", "deprecations/report.md"},
		{"csv", "deprecations/report.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := reportRenderers[tc.format](&buf, sampleReport(t)); err != nil {
				t.Fatalf("render: %v", err)
			}
			assertGolden(t, tc.golden, buf.String())
		})
	}
}

func TestDeprecationReportJSONAndCSVCarryEveryItem(t *testing.T) {
	t.Parallel()
	r := sampleReport(t)
	var js bytes.Buffer
	if err := writeReportJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int                `json:"version"`
		Items   []srapi.ReportItem `json:"items"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Version != reportJSONVersion || len(doc.Items) != len(r.Items) {
		t.Errorf("JSON = version %d with %d items (%v), want version %d with %d", doc.Version, len(doc.Items), err, reportJSONVersion, len(r.Items))
	}
	var cs bytes.Buffer
	if err := writeReportCSV(&cs, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil || len(rows) != len(r.Items)+1 {
		t.Fatalf("CSV rows = %d (%v), want a header and %d items", len(rows), err, len(r.Items))
	}
	if rows[1][0] != "orders-value" || rows[1][10] != "-5" || rows[1][13] != "orders-etl (data-platform); fraud (risk)" {
		t.Errorf("first CSV row = %q", rows[1])
	}
}

func TestEmptyDeprecationReport(t *testing.T) {
	t.Parallel()
	empty := &srapi.DeprecationReport{GeneratedAt: time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), UsageDays: 30}
	tests := []struct{ format, want string }{
		{"text", "No deprecated elements.\n"},
		{"markdown", "## Deprecations\n\n0 deprecated element(s): 0 overdue (past their date, still read), 0 removable (past their date, unread). Report of 2026-02-20; runtime clients over the last 30 days.\n\n"},
		{"csv", "subject,path,version,kind,source,status,reason,since,sunset,removable_from,days_left,overdue,replacement,consumers,clients\n"},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := reportRenderers[tc.format](&buf, empty); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tc.want {
			t.Errorf("%s = %q, want %q", tc.format, buf.String(), tc.want)
		}
	}
}
