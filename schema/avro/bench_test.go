package avro_test

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkAvroParse parses a realistic schema: JSON reading, validation,
// the Avro library's parse and every rendered form.
func BenchmarkAvroParse(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("testdata", "forms", "order.avsc"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		mustParse(b, string(text))
	}
}
