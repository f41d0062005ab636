package compat

import (
	"testing"
)

// FuzzCheckProto checks that any two schemas that compile can be checked
// at FULL_TRANSITIVE under the additive-only policy, and diffed, without a
// panic.
func FuzzCheckProto(f *testing.F) {
	seeds := []string{
		"syntax = \"proto3\";\nmessage M { string a = 1; }\n",
		"syntax = \"proto3\";\npackage p;\nmessage M { int64 a = 1; oneof o { string b = 2; bytes c = 3; } map<string, M> m = 4; }\nenum E { E_0 = 0; E_1 = 1; }\n",
		"syntax = \"proto2\";\npackage p;\nmessage M { required string a = 1; optional group G = 2 { optional int32 x = 1; } extensions 10 to 20; }\n",
		"edition = \"2023\";\npackage p;\nmessage M { string a = 1 [deprecated = true]; reserved 5 to 9; reserved b; }\n",
		"syntax = \"proto3\";\npackage p;\nimport \"google/protobuf/timestamp.proto\";\nmessage M { google.protobuf.Timestamp at = 1; message N { repeated int32 x = 1 [packed = false]; } }\n",
	}
	for _, a := range seeds {
		for _, b := range seeds {
			f.Add(a, b)
		}
	}
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		fuzzCheckPair(t, fixtureParsers[".proto"], oldText, newText)
	})
}
