package protobuf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

// FuzzParse checks that Parse never panics, that it fails only with a
// *schema.ParseError, and that an accepted schema's printed forms compile.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "print", "*.proto"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("syntax = \"proto3\";\nmessage M { string a = 1; }\n")
	f.Add("syntax = \"proto2\";\nmessage M { optional group G = 1 { optional int32 x = 1; } }\n")
	f.Add("message M { // @sunset 2026-01-01\n int32 a = 1 [deprecated = true]; }")
	// Nesting-heavy inputs: option literals, nested messages and brackets
	// around and beyond the depth limit, hidden in comments and strings.
	f.Add(literalBomb(schema.DefaultMaxDepth - 8))
	f.Add(literalBomb(schema.DefaultMaxDepth + 1))
	f.Add(nestedMessages(64))
	f.Add("syntax = \"proto3\";\n/* " + strings.Repeat("{", 1000) + " */ message M { string s = 1 [json_name = \"" + strings.Repeat("<", 1000) + "\"]; }")
	f.Add("syntax = \"proto3\";\nmessage M { map<string, M> m = 1; option (x) = < a: [ < b: 1 > ] >; }")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(DefaultName, text, nil)
		if err != nil {
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() error %T %v is not a *schema.ParseError", err, err)
			}
			return
		}
		if _, err := Parse(DefaultName, s.Normalized(), nil); err != nil {
			t.Fatalf("Normalized() does not compile: %v\n%s", err, s.Normalized())
		}
	})
}

// FuzzParseLenient: the lenient parse fails only with a
// *schema.ParseError, accepts whatever the strict one does with the same
// forms, and its forms parse leniently again.
func FuzzParseLenient(f *testing.F) {
	f.Add("syntax = \"proto3\";\nmessage M {\n  // @sunset soon\n  string a = 1 [deprecated = true];\n}\n")
	f.Add("message M { // @sunset 2026-01-01\n int32 a = 1 [deprecated = true]; }")
	f.Add("syntax = \"proto3\";\nmessage M { string a = 1; }\n")
	f.Fuzz(func(t *testing.T, text string) {
		ctx := context.Background()
		s, err := ParseLenient(ctx, DefaultName, text, nil, schema.Limits{})
		if err != nil {
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseLenient() error %T %v is not a *schema.ParseError", err, err)
			}
			return
		}
		if strict, err := Parse(DefaultName, text, nil); err == nil && strict.Identity() != s.Identity() {
			t.Fatalf("strict and lenient forms differ:\n%s\n---\n%s", strict.Identity(), s.Identity())
		}
		if _, err := ParseLenient(ctx, DefaultName, s.Identity(), nil, schema.Limits{}); err != nil {
			t.Fatalf("Identity() does not compile: %v\n%s", err, s.Identity())
		}
	})
}
