package formats_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
)

// countdownContext is done from the nth look at its Err on: a cancellation
// that lands in the middle of a parse, at a point a test can choose and
// repeat, where a timer would race with the machine's load.
type countdownContext struct {
	context.Context
	cancel context.CancelFunc
	left   atomic.Int64
	looks  atomic.Int64
}

func newCountdown(n int64) *countdownContext {
	ctx, cancel := context.WithCancel(context.Background())
	c := &countdownContext{Context: ctx, cancel: cancel}
	c.left.Store(n)
	if n <= 0 {
		cancel()
	}
	return c
}

func (c *countdownContext) Err() error {
	c.looks.Add(1)
	if c.left.Add(-1) <= 0 {
		c.cancel()
	}
	return c.Context.Err()
}

// bigSchemas are schemas large enough that a parse looks at its context
// many times: thousands of fields, messages and properties.
func bigSchemas() map[schema.Format]string {
	const n = 3000
	var avro, proto, js strings.Builder
	avro.WriteString(`{"type":"record","name":"Big","fields":[`)
	js.WriteString(`{"type":"object","properties":{`)
	proto.WriteString("syntax = \"proto3\";\npackage big.v1;\n")
	for i := range n {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&avro, `%s{"name":"f%d","type":["null","string"],"default":null}`, sep, i)
		fmt.Fprintf(&js, `%s"p%d":{"type":"string","maxLength":%d}`, sep, i, i+1)
		fmt.Fprintf(&proto, "message M%d {\n  string a = 1;\n  int64 b = 2;\n}\n", i)
	}
	avro.WriteString("]}")
	js.WriteString("}}")
	return map[schema.Format]string{schema.Avro: avro.String(), schema.Protobuf: proto.String(), schema.JSON: js.String()}
}

// TestParseStopsWhenCancelled checks that every format's parse, on the
// registry's path (ParseWithLimits and ParseLenientWithLimits), answers
// ctx's error, not a schema nor a ParseError, when its context is done
// before it starts or while it works, and that it stops looking (stops
// working) once it has seen the context done.
func TestParseStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	texts := bigSchemas()
	parsers := map[string]func(context.Context, schema.Format, string, []schema.Dependency, schema.Limits) (schema.Schema, error){
		"Strict":  formats.ParseWithLimits,
		"Lenient": formats.ParseLenientWithLimits,
	}
	for _, f := range formats.Supported {
		for pname, parse := range parsers {
			t.Run(string(f)+"/"+pname, func(t *testing.T) {
				t.Parallel()
				text := texts[f]
				// A full parse, counting how often it looks at its context.
				full := newCountdown(1 << 62)
				if s, err := parse(full, f, text, nil, schema.Limits{}); err != nil || s == nil {
					t.Fatalf("uncancelled parse: %v", err)
				}
				total := full.looks.Load()
				cases := []struct {
					name  string
					after int64
				}{{"BeforeStart", 0}}
				// The Protobuf compiler watches ctx.Done rather than asking
				// Err: it answers at once when ctx is done, and its own
				// tests cover that; the other parsers ask Err as they walk.
				if f != schema.Protobuf {
					if total < 4 {
						t.Fatalf("a parse of %d bytes looked at its context %d times; it cannot stop in the middle", len(text), total)
					}
					cases = append(cases, struct {
						name  string
						after int64
					}{"Midway", total / 2})
				}
				for _, tt := range cases {
					ctx := newCountdown(tt.after)
					s, err := parse(ctx, f, text, nil, schema.Limits{})
					if !errors.Is(err, context.Canceled) || s != nil {
						t.Fatalf("%s: got %v, %v; want context.Canceled", tt.name, s, err)
					}
					var pe *schema.ParseError
					if errors.As(err, &pe) {
						t.Fatalf("%s: a cancelled parse is not an invalid schema: %v", tt.name, err)
					}
					// Having seen the context done, the parse stops: it
					// looks no more, and never as often as a full parse.
					if looks := ctx.looks.Load(); f != schema.Protobuf && (looks > max(tt.after, 1) || looks >= total) {
						t.Fatalf("%s: looked at the context %d times, done from look %d on; a full parse looks %d times", tt.name, looks, tt.after, total)
					}
				}
			})
		}
	}
}
