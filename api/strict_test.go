package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/srapi"
)

func TestSurelyKnown(t *testing.T) {
	t.Parallel()
	register := reflect.TypeFor[*registerBody]()
	config := reflect.TypeFor[*configBody]()
	tests := []struct {
		name string
		t    reflect.Type
		body string
		want bool
	}{
		{"Register", register, `{"schema":"{\"type\":\"string\"}","schemaType":"AVRO"}`, true},
		{"References", register, `{"schema":"x","references":[{"name":"a.proto","subject":"a","version":1},{"name":"b","subject":"b","version":-1}]}`, true},
		{"Contract", register, `{"schema":"x","metadata":{"properties":{"owner":"a"},"tags":{"f":["PII"]}},"ruleSet":{"domainRules":[{"name":"r","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"true","params":{"k":"v"}}]}}`, true},
		{"Nulls", register, `{"schema":"x","references":null,"metadata":null,"id":null}`, true},
		{"Whitespace", register, " {\n\t\"schema\" : \"x\" ,\r\n \"version\" : 2 } ", true},
		{"TheBodysOwnField", register, `{"schema":"x","schemaTagsToAdd":[{"a":1}],"propagateSchemaTags":false}`, true},
		{"Config", config, `{"compatibility":"NONE","defaultMetadata":{"properties":{}},"validateRules":false,"compatibilityPolicy":{"anything":1}}`, true},
		{"Empty", register, `{}`, true},
		{"Null", register, `null`, true},
		{"Unknown", register, `{"schema":"x","schemaa":"y"}`, false},
		{"UnknownInReference", register, `{"schema":"x","references":[{"name":"a","subjct":"a","version":1}]}`, false},
		{"UnknownInMetadata", register, `{"metadata":{"propertes":{}}}`, false},
		{"UnknownInRule", register, `{"ruleSet":{"domainRules":[{"name":"r","kidn":"x"}]}}`, false},
		{"OtherCase", register, `{"Schema":"x"}`, false},
		{"EscapedName", register, `{"sch\u0065ma":"x"}`, false},
		{"EscapesInValues", register, `{"schema":"a\"}\\\"{[","schemaType":"AVRO"}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if !json.Valid([]byte(tc.body)) {
				t.Fatalf("invalid test body %s", tc.body)
			}
			if got := surelyKnown([]byte(tc.body), tc.t); got != tc.want {
				t.Errorf("surelyKnown(%s) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

// FuzzReadJSON holds readJSON to encoding/json's Decoder, which it
// decoded every body with before: the same bodies accepted (strictly or
// not) with the same values, and the same refused.
func FuzzReadJSON(f *testing.F) {
	for _, seed := range []string{
		`{"schema":"x","schemaType":"AVRO"}`,
		`{"schema":"x","references":[{"name":"a","subject":"a","version":1}]}`,
		`{"Schema":"x","SCHEMATYPE":"AVRO"}`,
		`{"schema":"x","schemaa":1}`,
		`{"metadata":{"properties":{"a":"b"},"sensitive":["x"]},"ruleSet":{"migrationRules":[]}}`,
		`{"schema":"a\u0000"}`,
		`{"schema":"x"} x`,
		`{"schema":1}`,
		`{"compatibility":"NONE","defaultRuleSet":{"domainRules":[{"name":"r"}]}}`,
		`{"sch\u0065ma":"x"}`,
		`[{"schema":"x"}]`,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, strict := range []bool{true, false} {
			compareDecodes[registerBody](t, body, strict)
			compareDecodes[configBody](t, body, strict)
		}
	})
}

// compareDecodes decodes body into a T through readJSON and through a
// Decoder, and fails if they disagree.
func compareDecodes[T any](t *testing.T, body []byte, strict bool) {
	t.Helper()
	var want T
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	wantErr := dec.Decode(&want)
	if wantErr == nil && !onlySpace(body[dec.InputOffset():]) {
		wantErr = errors.New("trailing data")
	}
	if wantErr == nil && bytes.Contains(body, []byte(`\u0000`)) {
		if err := unencodableBody(&want); err != nil {
			wantErr = err
		}
	}

	a := &API{maxBody: 1 << 20}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", srapi.ContentType)
	c := echo.New().NewContext(req, httptest.NewRecorder())
	var got T
	_, err := a.readJSON(c, &got, strict)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%T strict=%v %q: readJSON error %v, Decoder error %v", got, strict, body, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%T strict=%v %q:\nreadJSON %+v\n Decoder %+v", got, strict, body, got, want)
	}
}
