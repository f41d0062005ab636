package avro

import (
	"context"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

// TestParseLenient: what Avro Java accepts and Parse refuses parses
// leniently, with the same forms; what is not an Avro schema at all is
// still refused.
func TestParseLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		lenient    bool
	}{
		{"DecimalScaleAbovePrecision", `{"type":"bytes","logicalType":"decimal","precision":2,"scale":4}`, true},
		{"DecimalWithoutPrecision", `{"type":"bytes","logicalType":"decimal"}`, true},
		{"MalformedDeprecationMarker", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","deprecated":{"sunset":"soon"}}]}`, true},
		{"UnknownType", `{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}`, false},
		{"NotJSON", `{"type":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(tt.text, nil); err == nil {
				t.Fatal("Parse accepted it; the case tests nothing")
			}
			s, err := ParseLenient(context.Background(), tt.text, nil, schema.DefaultLimits())
			if !tt.lenient {
				if err == nil {
					t.Fatal("ParseLenient accepted it")
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLenient: %v", err)
			}
			if s.Root() == nil || s.Text() == "" || len(s.Deprecations()) != 0 {
				t.Fatalf("forms: root %v, text %q, deprecations %v", s.Root(), s.Text(), s.Deprecations())
			}
		})
	}
}
