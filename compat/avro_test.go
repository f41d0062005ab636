package compat

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
)

func init() {
	fixtureParsers[".avsc"] = func(_, text string) (schema.Schema, error) {
		return avro.Parse(text, nil)
	}
}

// mustAvro parses text and fails the test if it does not parse.
func mustAvro(tb testing.TB, text string) *avro.Schema {
	tb.Helper()
	return mustParse(tb, avro.Parse, text, nil)
}

// TestAvroFixtureCoverage checks that every Avro rule has a fixture that
// fails with it, and that every level is exercised.
func TestAvroFixtureCoverage(t *testing.T) {
	t.Parallel()
	g := readFixtureGoldens(t, "avro")
	if g.fixtures < 90 || g.compatible < 30 {
		t.Errorf("%d Avro fixtures, %d compatible; want at least 90 and 30", g.fixtures, g.compatible)
	}
	for _, r := range Rules() {
		if r.Format == schema.Avro && !g.failsWith(r.ID) {
			t.Errorf("no fixture fails with %s", r.ID)
		}
	}
}

// TestAvroRecordedDeprecation covers deprecations recorded by the
// registry (Policy.Deprecations) rather than marked in the text, alone and
// over a marker: when both deprecate the same field, the record's sunset
// wins (either way), and the earlier of the two dates counts.
func TestAvroRecordedDeprecation(t *testing.T) {
	t.Parallel()
	const (
		unmarked = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"legacy","type":"int","default":0}]}`
		marked   = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"legacy","type":"int","default":0,"deprecated":{"sunset":"2026-06-01"}}]}`
	)
	v2 := mustAvro(t, `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}`)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// v1 is the version whose field legacy v2 removes; minDeprecation
		// the policy's period.
		v1             string
		minDeprecation time.Duration
		// since and sunset are those of the record.
		since, sunset time.Time
		want          string
	}{
		{"RecordedLongAgo", unmarked, 90 * 24 * time.Hour, now.AddDate(0, -6, 0), time.Time{}, ""},
		{"RecordedRecently", unmarked, 90 * 24 * time.Hour, now.AddDate(0, 0, -10), time.Time{}, "AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY"},
		{"NoRecordSunsetKeepsMarker", marked, 24 * time.Hour, now.AddDate(0, -1, 0), time.Time{}, "AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY"},
		{"RecordSunsetPassed", marked, 24 * time.Hour, now.AddDate(0, -1, 0), now.AddDate(0, 0, -1), ""},
		{"RecordSunsetLater", marked, 24 * time.Hour, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0), "AVRO_ADDITIVE_DEPRECATED_REMOVED_EARLY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := additiveRequest(Backward, mustAvro(t, tt.v1), v2, now, tt.minDeprecation)
			req.Policy.Deprecations = []RecordedDeprecation{{
				Deprecation: schema.Deprecation{Path: "Order.legacy", Kind: "field", Sunset: tt.sunset},
				Since:       tt.since,
			}}
			res := Check(req)
			if got := strings.Join(ruleIDs(res.Findings), ","); got != tt.want {
				t.Errorf("findings = %v, want %q", res.Messages(), tt.want)
			}
		})
	}
}

// TestAvroDiffGolden renders Diff for each testdata/avro/diff_* case (old
// 1.avsc, new 2.avsc) and compares with diff.golden.
func TestAvroDiffGolden(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("testdata", "avro", "diff_*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no diff fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			assertDiffGolden(t, dir, "1.avsc", "2.avsc", func(c Change) string {
				return fmt.Sprintf("%s %s %s old=%q new=%q oldpos=%s newpos=%s", c.Kind, c.Element, c.Path, c.Old, c.New, c.OldPos, c.NewPos)
			})
		})
	}
}

// FuzzCheckAvro checks that no pair of schemas makes the checker panic,
// at FULL_TRANSITIVE with the additive-only policy, and in Diff.
func FuzzCheckAvro(f *testing.F) {
	seeds := [][2]string{
		{`{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}`, `{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":["null","R"],"default":null}]}`},
		{`["null","string",{"type":"enum","name":"E","symbols":["A"]}]`, `["string",{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}]`},
		{`{"type":"array","items":{"type":"fixed","name":"F","size":4,"logicalType":"decimal","precision":9}}`, `{"type":"map","values":{"type":"fixed","name":"G","aliases":["F"],"size":4}}`},
		{`{"type":"record","name":"A","fields":[{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"],"deprecated":true}]}}]}`, `"int"`},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		fuzzCheckPair(t, fixtureParsers[".avsc"], oldText, newText)
	})
}

// BenchmarkAvroCheck100Fields100Versions checks a 100-field record against
// 100 earlier versions at BACKWARD_TRANSITIVE, each parsed once.
func BenchmarkAvroCheck100Fields100Versions(b *testing.B) {
	record := func(fields int) string {
		var sb strings.Builder
		sb.WriteString(`{"type":"record","name":"Wide","namespace":"bench","fields":[`)
		for i := range fields {
			if i > 0 {
				sb.WriteByte(',')
			}
			switch i % 4 {
			case 0:
				fmt.Fprintf(&sb, `{"name":"f%d","type":"long","default":0}`, i)
			case 1:
				fmt.Fprintf(&sb, `{"name":"f%d","type":["null","string"],"default":null}`, i)
			case 2:
				fmt.Fprintf(&sb, `{"name":"f%d","type":{"type":"array","items":"int"},"default":[]}`, i)
			default:
				fmt.Fprintf(&sb, `{"name":"f%d","type":{"type":"enum","name":"E%d","symbols":["A","B"],"default":"A"},"default":"A"}`, i, i)
			}
		}
		sb.WriteString(`]}`)
		return sb.String()
	}
	// Version i+1 has the first i+1 fields; the new schema has all 100.
	history := make([]Version, 100)
	for i := range history {
		history[i] = Version{Version: i + 1, Schema: mustAvro(b, record(i+1))}
	}
	n := mustAvro(b, record(100))
	req := Request{Level: BackwardTransitive, New: n, History: history}
	b.ReportAllocs()
	for b.Loop() {
		if res := Check(req); !res.Compatible() {
			b.Fatal(res.Messages())
		}
	}
}

// BenchmarkAvroParseCanonical parses a realistic schema and renders its
// canonical form and fingerprint (Parse computes every form).
func BenchmarkAvroParseCanonical(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("..", "schema", "avro", "testdata", "forms", "order.avsc"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := avro.Parse(string(text), nil)
		if err != nil {
			b.Fatal(err)
		}
		if s.Fingerprint() == 0 {
			b.Fatal("zero fingerprint")
		}
	}
}
