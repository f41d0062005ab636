package compat

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

func init() {
	// Fixture versions are compiled under the name the registry uses for
	// schemas without one, as each version would be when registered.
	fixtureParsers[".proto"] = func(_, text string) (schema.Schema, error) {
		return protobuf.Parse(protobuf.DefaultName, text, nil)
	}
}

// mustProto parses text under the name the registry gives schemas without
// one, with deps, and fails the test if it does not parse.
func mustProto(tb testing.TB, text string, deps []schema.Dependency) schema.Schema {
	tb.Helper()
	return mustParse(tb, func(text string, deps []schema.Dependency) (*protobuf.Schema, error) {
		return protobuf.Parse(protobuf.DefaultName, text, deps)
	}, text, deps)
}

// TestProtoRulesPinned pins the Protobuf rule table: IDs appear in CI
// configuration and suppressions, so changing one must be deliberate.
func TestProtoRulesPinned(t *testing.T) {
	t.Parallel()
	want := map[string]Severity{
		"PROTO_PACKAGE_CHANGED":                   Error,
		"PROTO_MESSAGE_REMOVED":                   Error,
		"PROTO_FIELD_KIND_CHANGED":                Error,
		"PROTO_FIELD_SCALAR_KIND_CHANGED":         Error,
		"PROTO_FIELD_MESSAGE_TYPE_CHANGED":        Error,
		"PROTO_FIELD_LABEL_CHANGED":               Error,
		"PROTO_REQUIRED_FIELD_ADDED":              Error,
		"PROTO_REQUIRED_FIELD_REMOVED":            Error,
		"PROTO_FIELD_REQUIRED_CHANGED":            Error,
		"PROTO_ONEOF_FIELD_REMOVED":               Error,
		"PROTO_ONEOF_MULTIPLE_FIELDS_MOVED":       Error,
		"PROTO_ONEOF_FIELD_MOVED_TO_EXISTING":     Error,
		"PROTO_FIELD_NUMBER_CHANGED":              Error,
		"PROTO_ENUM_VALUE_NUMBER_CHANGED":         Error,
		"PROTO_FIELD_NAME_CHANGED":                Warning,
		"PROTO_ENUM_VALUE_NAME_CHANGED":           Warning,
		"PROTO_ADDITIVE_MESSAGE_REMOVED":          Error,
		"PROTO_ADDITIVE_ENUM_REMOVED":             Error,
		"PROTO_ADDITIVE_FIELD_REMOVED":            Error,
		"PROTO_ADDITIVE_ENUM_VALUE_REMOVED":       Error,
		"PROTO_ADDITIVE_DEPRECATED_REMOVED_EARLY": Error,
		"PROTO_ADDITIVE_REMOVED_NOT_RESERVED":     Error,
		"PROTO_ADDITIVE_FIELD_RENAMED":            Error,
		"PROTO_ADDITIVE_FIELD_RENUMBERED":         Error,
		"PROTO_ADDITIVE_FIELD_TYPE_CHANGED":       Error,
		"PROTO_ADDITIVE_FIELD_LABEL_CHANGED":      Error,
		"PROTO_ADDITIVE_FIELD_ONEOF_CHANGED":      Error,
		"PROTO_ADDITIVE_REQUIRED_FIELD_ADDED":     Error,
		"PROTO_ADDITIVE_ENUM_VALUE_RENAMED":       Error,
		"PROTO_ADDITIVE_ENUM_VALUE_RENUMBERED":    Error,
		"PROTO_ADDITIVE_RESERVED_REMOVED":         Error,
	}
	got := map[string]Severity{}
	for _, r := range Rules() {
		if r.Format != schema.Protobuf || !strings.HasPrefix(r.ID, "PROTO_") {
			continue
		}
		got[r.ID] = r.Severity
		if r.Purpose == "" || len(r.Categories) == 0 {
			t.Errorf("rule %s lacks a purpose or categories", r.ID)
		}
		additive := slices.Contains(r.Categories, CategoryAdditive)
		if additive != strings.HasPrefix(r.ID, "PROTO_ADDITIVE_") {
			t.Errorf("rule %s: ADDITIVE category and PROTO_ADDITIVE_ prefix disagree", r.ID)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("Protobuf rules = %v\nwant %v", got, want)
	}
}

// TestProtoFixturesCoverEveryRule checks that every Protobuf rule fails at
// least one fixture under testdata/proto.
func TestProtoFixturesCoverEveryRule(t *testing.T) {
	t.Parallel()
	g := readFixtureGoldens(t, "proto")
	for _, r := range Rules() {
		if strings.HasPrefix(r.ID, "PROTO_") && !g.failsWith(r.ID) {
			t.Errorf("no fixture under testdata/proto triggers %s", r.ID)
		}
	}
	if g.compatible == 0 {
		t.Error("no fixture under testdata/proto passes")
	}
}

// TestProtoDiff pins the structured diff of testdata/proto/diff-1.proto
// and diff-2.proto; regenerate with -update.
func TestProtoDiff(t *testing.T) {
	t.Parallel()
	assertDiffGolden(t, filepath.Join("testdata", "proto"), "diff-1.proto", "diff-2.proto", func(c Change) string {
		return fmt.Sprintf("%s %s %s old=%q@%s new=%q@%s", c.Kind, c.Element, c.Path, c.Old, c.OldPos, c.New, c.NewPos)
	})
}

// TestProtoReferencedTypes checks that message types from referenced files
// are compared where fields use them, and that their findings carry no
// position (they are not in the schema's own text).
func TestProtoReferencedTypes(t *testing.T) {
	t.Parallel()
	const main = `syntax = "proto3";
package shop.v1;
import "shop/v1/money.proto";
message Order {
  Money total = 1;
}
`
	money := func(unitsType string) []schema.Dependency {
		return []schema.Dependency{{Name: "shop/v1/money.proto", Text: "syntax = \"proto3\";\npackage shop.v1;\nmessage Money {\n  string currency = 1;\n  " + unitsType + " units = 2;\n}\n"}}
	}
	tests := []struct {
		name      string
		oldUnits  string
		newUnits  string
		wantRules []string
	}{
		{"UnchangedReference", "int64", "int64", nil},
		{"WireCompatibleChange", "int32", "int64", nil},
		{"IncompatibleChange", "int64", "string", []string{"PROTO_FIELD_SCALAR_KIND_CHANGED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := mustProto(t, main, money(tt.oldUnits))
			new := mustProto(t, main, money(tt.newUnits))
			res := Check(Request{Level: Backward, New: new, History: []Version{{Version: 4, Schema: old}}})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.RuleID)
				if f.Path != "shop.v1.Money.units" || f.New.IsValid() || f.Old.IsValid() || f.Version != 4 {
					t.Errorf("finding %+v: want path shop.v1.Money.units, version 4 and no positions", f)
				}
			}
			if !slices.Equal(got, tt.wantRules) {
				t.Errorf("rules = %v, want %v", got, tt.wantRules)
			}
		})
	}
}

// TestProtoCheckIgnoresOtherFormats checks that the Protobuf checker never
// fails on a schema of another format.
func TestProtoCheckIgnoresOtherFormats(t *testing.T) {
	t.Parallel()
	s := mustProto(t, "syntax = \"proto3\";\nmessage M { string a = 1; }\n", nil)
	var c protoChecker
	if got := c.compare(nil, Version{Version: 1}, s, DirBackward); got != nil {
		t.Errorf("compare with a nil old schema = %v, want nil", got)
	}
	if got := c.additive(nil, nil, s, Policy{}); got != nil {
		t.Errorf("additive without history = %v, want nil", got)
	}
	if got := c.diff(nil, nil, s); got != nil {
		t.Errorf("diff with a nil old schema = %v, want nil", got)
	}
}

// TestProtoRecordedDeprecation checks that a deprecation recorded by the
// registry (not marked in the text) allows a removal like a marker does.
func TestProtoRecordedDeprecation(t *testing.T) {
	t.Parallel()
	old := mustProto(t, "syntax = \"proto3\";\npackage p;\nmessage M {\n  string a = 1;\n  string b = 2;\n}\n", nil)
	new := mustProto(t, "syntax = \"proto3\";\npackage p;\nmessage M {\n  string a = 1;\n  reserved 2;\n  reserved \"b\";\n}\n", nil)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		since time.Time
		want  []string
	}{
		{"NotRecorded", time.Time{}, []string{"PROTO_ADDITIVE_FIELD_REMOVED"}},
		{"RecordedLongAgo", now.AddDate(-1, 0, 0), nil},
		{"RecordedRecently", now.AddDate(0, 0, -3), []string{"PROTO_ADDITIVE_DEPRECATED_REMOVED_EARLY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: 30 * 24 * time.Hour}
			if !tt.since.IsZero() {
				p.Deprecations = []RecordedDeprecation{{
					Deprecation: schema.Deprecation{Path: "p.M.b", Kind: protobuf.KindField},
					Since:       tt.since,
				}}
			}
			res := Check(Request{Level: Backward, Policy: p, New: new, History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(-2, 0, 0)}}})
			got := ruleIDs(res.Findings)
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestProtoConcurrentChecks runs checks sharing parsed versions from several
// goroutines; run with -race to check the per-schema model cache.
func TestProtoConcurrentChecks(t *testing.T) {
	t.Parallel()
	deps := []schema.Dependency{{Name: "money.proto", Text: "syntax = \"proto3\";\npackage p;\nmessage Money { int64 units = 1; }\n"}}
	old := mustProto(t, "syntax = \"proto3\";\npackage p;\nimport \"money.proto\";\nmessage M { Money m = 1; string a = 2; }\n", deps)
	new := mustProto(t, "syntax = \"proto3\";\npackage p;\nimport \"money.proto\";\nmessage M { Money m = 1; int32 a = 2; }\n", deps)
	done := make(chan []string)
	for range 4 {
		go func() {
			res := Check(Request{Level: FullTransitive, New: new, History: []Version{{Version: 1, Schema: old}}})
			ids := ruleIDs(res.Findings)
			done <- ids
		}()
	}
	want := []string{"PROTO_FIELD_SCALAR_KIND_CHANGED", "PROTO_FIELD_SCALAR_KIND_CHANGED"}
	for range 4 {
		if got := <-done; !slices.Equal(got, want) {
			t.Errorf("rules = %v, want %v", got, want)
		}
	}
}
