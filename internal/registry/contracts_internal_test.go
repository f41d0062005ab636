package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/srapi"
)

func TestMergeMetadata(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		base, over, want string
	}{
		{"NoneAtAll", ``, ``, ``},
		{"BaseOnly", `{"properties":{"a":"1"}}`, ``, `{"properties":{"a":"1"}}`},
		{"OverOnly", ``, `{"sensitive":["s"]}`, `{"sensitive":["s"]}`},
		{"OverWinsAProperty", `{"properties":{"a":"1","b":"1"}}`, `{"properties":{"b":"2","c":"2"}}`, `{"properties":{"a":"1","b":"2","c":"2"}}`},
		{"OverWinsATagPath", `{"tags":{"x":["A","B"],"y":["C"]}}`, `{"tags":{"x":["Z"]}}`, `{"tags":{"x":["Z"],"y":["C"]}}`},
		{"SensitiveIsAUnion", `{"sensitive":["b","a"]}`, `{"sensitive":["c","a"]}`, `{"sensitive":["a","b","c"]}`},
		{"EmptyOverKeepsBase", `{"properties":{"a":"1"}}`, `{}`, `{"properties":{"a":"1"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkMerge(t, decodeMetadata, mergeMetadata, metadataEmpty, tt.base, tt.over, tt.want)
		})
	}
}

// checkMerge decodes base and over, merges them and compares the encoded
// result with want.
func checkMerge[T any](t *testing.T, decode func(json.RawMessage) (*T, error), merge func(base, over *T) *T, empty func(*T) bool, base, over, want string) {
	t.Helper()
	b, err := decode(json.RawMessage(base))
	if err != nil {
		t.Fatal(err)
	}
	o, err := decode(json.RawMessage(over))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(encodeContract(merge(b, o), empty)); got != want {
		t.Errorf("merge = %s\nwant    %s", got, want)
	}
}

func TestMergeRuleSets(t *testing.T) {
	t.Parallel()
	rule := func(list, name, expr string) string {
		return `{"` + list + `":[{"name":"` + name + `","type":"CEL","mode":"` + map[string]string{"migrationRules": "UPGRADE"}[list] + `","expr":"` + expr + `"}]}`
	}
	tests := []struct {
		name             string
		base, over, want string
	}{
		{"OverOnly", ``, rule("domainRules", "a", "1"), `{"domainRules":[{"name":"a","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL","expr":"1"}]}`},
		{"SameNameIsReplaced", rule("domainRules", "a", "1"), rule("domainRules", "a", "2"), `{"domainRules":[{"name":"a","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL","expr":"2"}]}`},
		{"NewNamesComeLast", `{"domainRules":[{"name":"a","type":"CEL"},{"name":"b","type":"CEL"}]}`, `{"domainRules":[{"name":"a","type":"CEL","expr":"x"},{"name":"c","type":"CEL"}]}`,
			`{"domainRules":[{"name":"b","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL"},{"name":"a","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL","expr":"x"},{"name":"c","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL"}]}`},
		{"ListsMergeApart", rule("migrationRules", "m", "1"), rule("encodingRules", "e", "2"),
			`{"migrationRules":[{"name":"m","kind":"TRANSFORM","mode":"UPGRADE","type":"CEL","expr":"1"}],"encodingRules":[{"name":"e","kind":"TRANSFORM","mode":"WRITEREAD","type":"CEL","expr":"2"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkMerge(t, decodeRuleSet, mergeRuleSets, ruleSetEmpty, tt.base, tt.over, tt.want)
		})
	}
}

func TestDecodeRuleSetRefusesMalformedRules(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, ruleSet, says string }{
		{"NoName", `{"domainRules":[{"type":"CEL"}]}`, "missing rule name"},
		{"BadName", `{"domainRules":[{"name":"a-b","type":"CEL"}]}`, "illegal character"},
		{"DigitFirst", `{"domainRules":[{"name":"1a","type":"CEL"}]}`, "illegal character"},
		{"NoType", `{"domainRules":[{"name":"a"}]}`, "missing rule type"},
		{"BadKind", `{"domainRules":[{"name":"a","type":"CEL","kind":"check"}]}`, "invalid kind"},
		{"BadMode", `{"domainRules":[{"name":"a","type":"CEL","mode":"ALWAYS"}]}`, "invalid mode"},
		{"MigrationModeInDomain", `{"domainRules":[{"name":"a","type":"CEL","mode":"UPDOWN"}]}`, "domain and encoding rules"},
		{"DomainModeInMigration", `{"migrationRules":[{"name":"a","type":"CEL","mode":"READ"}]}`, "migration rules"},
		{"DomainModeDefaultInMigration", `{"migrationRules":[{"name":"a","type":"CEL"}]}`, "migration rules"},
		{"DuplicateAcrossLists", `{"domainRules":[{"name":"a","type":"CEL"}],"encodingRules":[{"name":"a","type":"CEL"}]}`, "duplicate"},
		{"NotAnObject", `[1]`, "Invalid ruleSet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeRuleSet(json.RawMessage(tt.ruleSet))
			var e *Error
			if !errors.As(err, &e) || e.Code != srapi.CodeInvalidRuleSet || !strings.Contains(e.Message, tt.says) {
				t.Errorf("decodeRuleSet(%s) = %v, want a 42210 saying %q", tt.ruleSet, err, tt.says)
			}
		})
	}
}

func TestReservedFieldsAreTrimmedAndDeduplicated(t *testing.T) {
	t.Parallel()
	got := reservedFields(json.RawMessage(`{"properties":{"confluent:reserved":" b, a,,b ,c"}}`))
	if strings.Join(got, "|") != "a|b|c" {
		t.Errorf("reservedFields = %q, want a, b, c", got)
	}
	if got := reservedFields(nil); got != nil {
		t.Errorf("reservedFields(nil) = %q", got)
	}
}

// FuzzCanonicalContract: any input either is refused with a domain error
// or canonicalises to a form that canonicalises to itself.
func FuzzCanonicalContract(f *testing.F) {
	f.Add(`{"properties":{"a":"1"},"tags":{"p":["B","A","A"]},"sensitive":["x"]}`, `{"domainRules":[{"name":"r","type":"CEL"}]}`)
	f.Add(`{}`, `{}`)
	f.Add(`null`, `{"migrationRules":[{"name":"m","type":"T","mode":"UPDOWN","tags":["b","a"],"params":{"k":"v"}}]}`)
	f.Add(`{"properties":{"a":1}}`, `{"domainRules":[{"name":"r","type":"CEL","kind":"X"}]}`)
	f.Fuzz(func(t *testing.T, metadata, ruleSet string) {
		m, r, err := canonicalContract(json.RawMessage(metadata), json.RawMessage(ruleSet))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a domain error", err)
			}
			return
		}
		m2, r2, err := canonicalContract(m, r)
		if err != nil {
			t.Fatalf("the canonical form %s / %s is refused: %v", m, r, err)
		}
		if !bytes.Equal(m, m2) || !bytes.Equal(r, r2) {
			t.Fatalf("not idempotent: %s / %s became %s / %s", m, r, m2, r2)
		}
	})
}
