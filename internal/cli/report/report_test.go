package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
)

// testRules is a fixed rule table, so goldens do not change when compat
// gains rules.
var testRules = map[string]compat.Rule{
	"AVRO_READER_FIELD_MISSING_DEFAULT": {
		ID: "AVRO_READER_FIELD_MISSING_DEFAULT", Purpose: "A field the reader expects must have a default when the writer lacks it.",
		Format: schema.Avro, Categories: []compat.Category{compat.CategoryBackward}, Severity: compat.Error,
	},
	"AVRO_ADDITIVE_FIELD_REMOVED": {
		ID: "AVRO_ADDITIVE_FIELD_REMOVED", Purpose: "Under the additive-only policy, fields are deprecated, not removed.",
		Format: schema.Avro, Categories: []compat.Category{compat.CategoryAdditive}, Severity: compat.Error,
	},
	"PROTO_FIELD_SAME_TYPE": {
		ID: "PROTO_FIELD_SAME_TYPE", Purpose: "A field keeps a wire-compatible type.",
		Format: schema.Protobuf, Categories: []compat.Category{compat.CategoryWire, compat.CategoryBackward}, Severity: compat.Error,
	},
}

func lookupTestRule(id string) (compat.Rule, bool) {
	r, ok := testRules[id]
	return r, ok
}

// sample covers every status, both severities, findings with and without
// positions, and characters each format must escape.
func sample() *Report {
	return &Report{
		Command: "check",
		Against: "registry http://localhost:8081",
		Subjects: []Subject{
			{
				Subject: "orders-value", File: "schemas/order.avsc", Format: "AVRO", Status: StatusIncompatible,
				Findings: []Finding{
					{
						RuleID: "AVRO_READER_FIELD_MISSING_DEFAULT", Severity: compat.Error, Path: "Order.price",
						Message: "the new schema cannot read data written with version 3: field `price` was added without a default",
						Version: 3, Direction: compat.DirBackward, Line: 4, Column: 7,
					},
					{
						RuleID: "AVRO_ADDITIVE_FIELD_REMOVED", Severity: compat.Error, Path: "Order.note",
						Message: "field \"note\" was removed, but it was never deprecated <see policy> & | pipes, commas: ok",
						Version: 3, Direction: compat.DirPolicy, OldLine: 9, OldColumn: 5,
					},
				},
				Truncated: 40,
			},
			{
				Subject: "payments-value", File: "schemas/payment.proto", Format: "PROTOBUF", Status: StatusCompatible,
				Findings: []Finding{{
					RuleID: "PROTO_FIELD_SAME_TYPE", Severity: compat.Warning, Path: "shop.v1.Payment.amount",
					Message: "type changed from int32 to int64\nwhich old readers truncate", Version: 2,
					Direction: compat.DirForward, Line: 12, Column: 3, OldLine: 12, OldColumn: 3, Consumer: "billing",
				}},
			},
			{Subject: "users-value", File: "schemas/user.avsc", Format: "AVRO", Status: StatusNew, Message: "the subject is not registered yet"},
			{
				Subject: "broken-value", File: "schemas/broken.avsc", Format: "AVRO", Status: StatusInvalid,
				Findings: []Finding{{RuleID: RuleSchemaInvalid, Severity: compat.Error, Message: "invalid avro schema at 3:1: unexpected '}'", Line: 3, Column: 1}},
			},
			{Subject: "down-value", File: "schemas/down.avsc", Format: "AVRO", Status: StatusError, Message: "schema registry: Error in the backend data store (HTTP 500, error code 50001)"},
		},
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		golden string
		render func(*bytes.Buffer) error
	}{
		{"Text", "check.txt", func(b *bytes.Buffer) error { return Write(b, sample(), Text, Options{LookupRule: lookupTestRule}) }},
		{"TextColor", "check.color.txt", func(b *bytes.Buffer) error {
			return Write(b, sample(), Text, Options{Color: true, LookupRule: lookupTestRule})
		}},
		{"TextEmpty", "empty.txt", func(b *bytes.Buffer) error { return Write(b, &Report{Command: "check"}, Text, Options{}) }},
		{"JSON", "check.json", func(b *bytes.Buffer) error {
			return Write(b, sample(), JSON, Options{ToolVersion: "v1.2.3", LookupRule: lookupTestRule})
		}},
		{"GitHub", "check.github.txt", func(b *bytes.Buffer) error { return Write(b, sample(), GitHub, Options{LookupRule: lookupTestRule}) }},
		{"MarkdownSummary", "check.summary.md", func(b *bytes.Buffer) error { return WriteMarkdownSummary(b, sample()) }},
		{"JUnit", "check.junit.xml", func(b *bytes.Buffer) error { return Write(b, sample(), JUnit, Options{LookupRule: lookupTestRule}) }},
		{"SARIF", "check.sarif", func(b *bytes.Buffer) error {
			return Write(b, sample(), SARIF, Options{ToolVersion: "v1.2.3", LookupRule: lookupTestRule})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("testdata", tt.golden), b.Bytes())
		})
	}
}

// TestJUnitParsesAndCarriesEveryFinding decodes the XML with
// encoding/xml and checks that each finding is a testcase.
func TestJUnitParsesAndCarriesEveryFinding(t *testing.T) {
	t.Parallel()
	r := sample()
	var b bytes.Buffer
	if err := Write(&b, r, JUnit, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Type    string `xml:"type,attr"`
					Message string `xml:"message,attr"`
				} `xml:"failure"`
				Error *struct {
					Type string `xml:"type,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	if len(doc.Suites) != len(r.Subjects) {
		t.Fatalf("%d testsuites, want one per subject (%d)", len(doc.Suites), len(r.Subjects))
	}
	failures, errs := 0, 0
	for i, s := range r.Subjects {
		suite := doc.Suites[i]
		if suite.Name != s.Subject || suite.Tests != len(suite.Cases) {
			t.Errorf("suite %d = %q with tests=%d and %d cases", i, suite.Name, suite.Tests, len(suite.Cases))
		}
		for _, f := range s.Findings {
			found := false
			for _, c := range suite.Cases {
				if c.Name == caseName(f) {
					found = true
					switch {
					case f.RuleID == RuleSchemaInvalid:
						if c.Error == nil {
							t.Errorf("%s: invalid schema is not an <error>", c.Name)
						}
					case f.Severity == compat.Error:
						if c.Failure == nil || c.Failure.Type != f.RuleID || c.Failure.Message != f.String() {
							t.Errorf("%s: failure = %+v", c.Name, c.Failure)
						}
					}
				}
			}
			if !found {
				t.Errorf("finding %s of %s has no testcase", f.RuleID, s.Subject)
			}
		}
		for _, c := range suite.Cases {
			if c.Failure != nil {
				failures++
			}
			if c.Error != nil {
				errs++
			}
		}
	}
	if doc.Failures != failures || doc.Errors != errs || failures != 2 || errs != 2 {
		t.Errorf("totals failures=%d errors=%d, counted %d %d, want 2 2", doc.Failures, doc.Errors, failures, errs)
	}
}

// TestSARIFParsesAndCarriesEveryFinding decodes the log with
// encoding/json and checks results, locations and rule references.
func TestSARIFParsesAndCarriesEveryFinding(t *testing.T) {
	t.Parallel()
	r := sample()
	var b bytes.Buffer
	if err := Write(&b, r, SARIF, Options{LookupRule: lookupTestRule}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatalf("SARIF output does not parse: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	var want []Finding
	var files []string
	for _, s := range r.Subjects {
		for _, f := range s.Findings {
			want = append(want, f)
			files = append(files, s.File)
		}
	}
	if len(run.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(run.Results), len(want))
	}
	for i, res := range run.Results {
		f := want[i]
		rule := run.Tool.Driver.Rules[res.RuleIndex]
		if res.RuleID != f.RuleID || rule.ID != f.RuleID || rule.ShortDescription.Text == "" {
			t.Errorf("result %d: rule %q (index → %q, %q), want %q", i, res.RuleID, rule.ID, rule.ShortDescription.Text, f.RuleID)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != files[i] {
			t.Errorf("result %d: uri %q, want %q", i, loc.ArtifactLocation.URI, files[i])
		}
		if f.Line > 0 && (loc.Region == nil || loc.Region.StartLine != f.Line || loc.Region.StartColumn != f.Column) {
			t.Errorf("result %d: region %+v, want %d:%d", i, loc.Region, f.Line, f.Column)
		}
		if res.Message.Text != f.String() || res.Level != string(f.Severity) {
			t.Errorf("result %d: %s %q", i, res.Level, res.Message.Text)
		}
	}
}

func TestCountsString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    *Report
		want string
	}{
		{"Empty", &Report{}, "0 subjects; 0 errors, 0 warnings"},
		{"Sample", sample(), "5 subjects: 1 invalid, 1 not checked, 1 incompatible, 1 compatible, 1 new; 3 errors, 1 warning"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.r.Count().String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
}
