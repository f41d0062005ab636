package protobuf

import (
	"os"
	"testing"
)

// BenchmarkProtoParse measures compiling a schema and rendering its
// identity and normalized forms (Parse renders both).
func BenchmarkProtoParse(b *testing.B) {
	text, err := os.ReadFile("testdata/print/shop.proto")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if mustParse(b, string(text)).Normalized() == "" {
			b.Fatal("empty normalized form")
		}
	}
}
