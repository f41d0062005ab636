package avro_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
)

// FuzzParse checks that Parse never panics, that it fails only with a
// *schema.ParseError, and that the text it stores parses to the same
// schema.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`"int"`, `["null","string"]`, `{"type":"map","values":"long"}`,
		`{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":["null","R"],"default":null}]}`,
		`{"type":"enum","name":"E","symbols":["A","B"],"default":"A","deprecated":true}`,
		`{"type":"fixed","name":"F","size":4,"logicalType":"decimal","precision":9,"scale":2}`,
		`{"type":"record","name":"R","fields":[{"name":"r","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int","default":1}]},"default":{}}]}`,
		`{"type":"record","name":"N","fields":[{"name":"next","type":"N","default":{}}]}`,
		`{"type":"array","items":{"type":"bytes","logicalType":"decimal","precision":4}}`,
		// Nesting-heavy inputs, around and beyond the depth limit.
		nestingBomb(40), nestingBomb(170), nestingBomb(171),
		strings.Repeat(`[`, 300) + strings.Repeat(`]`, 300),
		`{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":{"type":"map","values":["null","R"]}},"default":[{"k":{"a":[]}}]}]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := avro.Parse(text, nil)
		if err != nil {
			var pe *schema.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *schema.ParseError: %v", err, err)
			}
			return
		}
		again, err := avro.Parse(s.Text(), nil)
		if err != nil {
			t.Fatalf("stored text %s does not parse: %v", s.Text(), err)
		}
		if again.Text() != s.Text() {
			t.Fatalf("stored text is not stable:\n%s\n%s", s.Text(), again.Text())
		}
	})
}
