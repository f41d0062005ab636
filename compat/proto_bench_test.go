package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// genProto writes a schema of n messages with eight fields each (scalars,
// an enum, a map, a reference to the previous message and a oneof). The
// next version adds a field to every tenth message and deprecates another.
func genProto(n int, next bool) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\npackage bench.v1;\n\nenum Level {\n  LEVEL_UNSPECIFIED = 0;\n  LEVEL_LOW = 1;\n  LEVEL_HIGH = 2;\n}\n")
	for i := range n {
		fmt.Fprintf(&b, "\nmessage M%d {\n  string id = 1;\n  int64 count = 2;\n  double ratio = 3;\n  Level level = 4;\n  map<string, int32> tags = 5;\n  repeated string notes = 6;\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "  M%d prev = 7;\n", i-1)
		}
		dep := ""
		if next && i%10 == 5 {
			dep = " [deprecated = true]"
		}
		fmt.Fprintf(&b, "  oneof choice {\n    string a = 8;\n    bytes b = 9%s;\n  }\n", dep)
		if next && i%10 == 0 {
			b.WriteString("  optional string added = 10;\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func BenchmarkProtoCheck300Messages(b *testing.B) {
	old := mustProto(b, genProto(300, false), nil)
	new := mustProto(b, genProto(300, true), nil)
	req := additiveRequest(FullTransitive, old, new, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	b.ReportAllocs()
	for b.Loop() {
		if res := Check(req); !res.Compatible() {
			b.Fatalf("unexpected findings: %v", res.Messages())
		}
	}
}
