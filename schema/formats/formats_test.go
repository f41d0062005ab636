package formats_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
)

// TestParseWithLimitsEveryFormat pins that the registry's parse path
// (ParseWithLimits) accepts every supported format, and that the text
// limit applies to each.
func TestParseWithLimitsEveryFormat(t *testing.T) {
	t.Parallel()
	texts := map[schema.Format]string{
		schema.Avro:     `{"type":"record","name":"A","fields":[{"name":"a","type":"string"}]}`,
		schema.Protobuf: "syntax = \"proto3\";\nmessage A { string a = 1; }\n",
		schema.JSON:     `{"type":"object","properties":{"a":{"type":"string"}}}`,
	}
	for _, f := range formats.Supported {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			text, ok := texts[f]
			if !ok {
				t.Fatalf("no sample text for supported format %s", f)
			}
			s, err := formats.ParseWithLimits(context.Background(), f, text, nil, schema.Limits{})
			if err != nil || s == nil {
				t.Fatalf("ParseWithLimits: %v, %v", s, err)
			}
			_, err = formats.ParseWithLimits(context.Background(), f, text+strings.Repeat(" ", 64), nil, schema.Limits{MaxTextBytes: len(text)})
			var le *schema.LimitError
			if !errors.As(err, &le) || le.Limit != "MaxTextBytes" {
				t.Fatalf("text over the limit: %v, want a MaxTextBytes LimitError", err)
			}
		})
	}
}
