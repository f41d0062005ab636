package avro

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// jsonCases are texts around each part of JSON's grammar.
var jsonCases = []string{
	`null`, `true`, `false`, `0`, `-0`, `-12.5e+3`, `1E2`, `0.5`, `""`,
	`"plain"`, `"esc\"aped\\\/\b\f\n\r\t"`, `"\u00e9\u4e2d"`, `"\ud83d\ude00"`,
	`"\ud83d"`, `"\ude00x"`, `"\ud83d\u0041"`, "\"\xff\xfe\"", "\"caf\xc3\xa9\"",
	`[]`, `[1,[2,[3]],{}]`, ` { "a" : [ 1 , 2 ] , "b" : { } } `, `{"a":1,"b":{"a":2}}`,
	// Invalid.
	``, ` `, `nul`, `tru`, `falsy`, `01`, `-`, `1.`, `1e`, `1e+`, `.5`, `+1`,
	`"unterminated`, `"bad \x escape"`, `"\u12g4"`, "\"ctl\x01\"", `[1,]`, `[1 2]`,
	`{"a"}`, `{"a":}`, `{"a":1,}`, `{a:1}`, `{"a":1 "b":2}`, `[`, `{`, `{"a":1`,
	`"x" "y"`, `[] ,`, "\ufeff{}", `{"a":1,"a":2}`,
}

// TestParseJSONMatchesEncodingJSON holds parseJSON to encoding/json on
// the cases above.
func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, text := range jsonCases {
		checkParseJSON(t, text)
	}
	// Past dupIndexAt members, duplicates are found through the index.
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		fmt.Fprintf(&b, `"k%d":1,`, i)
	}
	b.WriteString(`"k39":2}`)
	if _, err := parseJSON(stop.New(t.Context()), b.String(), 10); err == nil || !strings.Contains(err.Error(), `duplicate key "k39"`) {
		t.Errorf("duplicate key past the index threshold: err = %v", err)
	}
}

// TestParseJSONPositions checks where errors point.
func TestParseJSONPositions(t *testing.T) {
	tests := []struct {
		text string
		off  int
		msg  string
	}{
		{`{"type": }`, 9, "invalid JSON: invalid character '}' looking for beginning of value"},
		{`{"type":`, 8, "invalid JSON: unexpected end of text"},
		{`[1 2]`, 3, "invalid JSON: invalid character '2' after array element"},
		{`{"a":1,"a":2}`, 7, `duplicate key "a"`},
		{`"a\qb"`, 3, `invalid JSON: invalid character 'q' in string escape code`},
		{`"x" "y"`, 4, "unexpected content after the schema"},
		{`[[[1]]]`, 2, "MaxDepth"},
	}
	for _, tc := range tests {
		_, err := parseJSON(stop.New(t.Context()), tc.text, 1)
		var pe *posError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err = %v, want a *posError", tc.text, err)
			continue
		}
		if pe.off != tc.off || !strings.Contains(pe.msg, tc.msg) {
			t.Errorf("%s: error %q at %d, want %q at %d", tc.text, pe.msg, pe.off, tc.msg, tc.off)
		}
	}
}

// checkParseJSON fails t unless parseJSON accepts text exactly when
// encoding/json does (refusing duplicate keys besides) and reads the same
// values.
func checkParseJSON(t *testing.T, text string) {
	t.Helper()
	got, err := parseJSON(stop.New(t.Context()), text, 1000)
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var want any
	werr := dec.Decode(&want)
	if werr == nil && dec.InputOffset() < int64(len(bytes.TrimRight([]byte(text), " \t\r\n"))) {
		werr = errors.New("content after the value")
	}
	var limit *schema.LimitError
	switch {
	case err != nil && werr == nil:
		if strings.Contains(err.Error(), "duplicate key") || errors.As(err, &limit) {
			return
		}
		t.Errorf("parseJSON(%q) = %v; encoding/json reads it", text, err)
	case err == nil && werr != nil:
		t.Errorf("parseJSON(%q) accepts it; encoding/json: %v", text, werr)
	case err == nil:
		if v := jsonAny(got); !reflect.DeepEqual(v, want) {
			t.Errorf("parseJSON(%q) reads %#v; encoding/json reads %#v", text, v, want)
		}
	}
}

// jsonAny is v as encoding/json decodes into an any with UseNumber.
func jsonAny(v *jvalue) any {
	switch v.kind {
	case jBool:
		return v.boolean
	case jNumber:
		return json.Number(v.text)
	case jString:
		return v.text
	case jArray:
		out := []any{}
		for _, e := range v.elems {
			out = append(out, jsonAny(e))
		}
		return out
	case jObject:
		out := map[string]any{}
		for _, m := range v.members {
			out[m.key] = jsonAny(m.val)
		}
		return out
	}
	return nil
}

// FuzzParseJSON holds parseJSON to encoding/json on any input.
func FuzzParseJSON(f *testing.F) {
	for _, text := range jsonCases {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkParseJSON(t, text)
	})
}
