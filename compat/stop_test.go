package compat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// doneAfter is a context whose Err reports cancellation from its n-th
// call on: a client that leaves in the middle of a walk, without timing.
type doneAfter struct {
	context.Context
	calls atomic.Int64
	n     int64
}

func (c *doneAfter) Err() error {
	if c.calls.Add(1) >= c.n {
		return context.Canceled
	}
	return nil
}

// wide returns old and new schemas of one format with n fields, every
// field changed in a way each format's rules report.
func wide(t *testing.T, f schema.Format, n int) (old, new schema.Schema) {
	t.Helper()
	var o, nw strings.Builder
	var err error
	switch f {
	case schema.Avro:
		rec := func(b *strings.Builder, typ string) string {
			b.WriteString(`{"type":"record","name":"W","fields":[`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, `{"name":"f%d","type":%q}`, i, typ)
			}
			b.WriteString("]}")
			return b.String()
		}
		if old, err = avro.Parse(rec(&o, "long"), nil); err == nil {
			new, err = avro.Parse(rec(&nw, "string"), nil)
		}
	case schema.Protobuf:
		msg := func(b *strings.Builder, typ string) string {
			b.WriteString("syntax = \"proto3\";\nmessage W {\n")
			for i := range n {
				fmt.Fprintf(b, "  %s f%d = %d;\n", typ, i, 20_000+i) // past the reserved 19000-19999
			}
			b.WriteString("}\n")
			return b.String()
		}
		if old, err = protobuf.Parse("w.proto", msg(&o, "int64"), nil); err == nil {
			new, err = protobuf.Parse("w.proto", msg(&nw, "string"), nil)
		}
	case schema.JSON:
		obj := func(b *strings.Builder, typ string) string {
			b.WriteString(`{"type":"object","properties":{`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, `"f%d":{"type":%q}`, i, typ)
			}
			b.WriteString("}}")
			return b.String()
		}
		if old, err = js.Parse(obj(&o, "integer"), nil); err == nil {
			new, err = js.Parse(obj(&nw, "string"), nil)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return old, new
}

// wideFields names every field of the schemas wide returns, as a
// field-path consumer declares them.
func wideFields(f schema.Format, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("W.f%d", i)
		if f == schema.JSON {
			out[i] = fmt.Sprintf("f%d", i)
		}
	}
	return out
}

// TestCancelledWalksStop: a check, diff or consumer check whose context ends in the middle
// of a walk over a huge schema stops there, with the context's error,
// having done a fraction of the work of a complete one.
func TestCancelledWalksStop(t *testing.T) {
	// Not parallel: it reads the process-wide Walked counter.
	for f, n := range map[schema.Format]int{schema.Avro: 20_000, schema.Protobuf: 20_000, schema.JSON: 4_000} {
		old, new := wide(t, f, n)
		req := Request{Level: FullTransitive, Policy: Policy{AdditiveOnly: true}, New: new, History: []Version{{Version: 1, Schema: old}}}
		ops := []struct {
			name string
			run  func(ctx context.Context) error
		}{
			{"Check", func(ctx context.Context) error { _, err := CheckContext(ctx, req); return err }},
			{"Diff", func(ctx context.Context) error { _, err := DiffContext(ctx, old, new); return err }},
			{"ConsumerReader", func(ctx context.Context) error {
				_, err := CheckConsumerContext(ctx, ConsumerRequest{Consumer: ConsumerReader{Consumer: "etl", Reader: old}, Writer: new})
				return err
			}},
			{"ConsumerFields", func(ctx context.Context) error {
				_, err := CheckConsumerContext(ctx, ConsumerRequest{Consumer: ConsumerReader{Consumer: "etl", Fields: wideFields(f, n)}, Writer: new, Reference: old})
				return err
			}},
		}
		for _, op := range ops {
			t.Run(string(f)+op.name, func(t *testing.T) {
				before := Walked()
				if err := op.run(context.Background()); err != nil {
					t.Fatal(err)
				}
				full := Walked() - before
				if full < 10*stopEvery {
					t.Fatalf("a complete walk counted %d elements; too few to test stopping", full)
				}
				before = Walked()
				// The entry points look before starting each direction;
				// the walk's ticks make the later calls.
				err := op.run(&doneAfter{Context: context.Background(), n: 5})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v, want context.Canceled", err)
				}
				if stoppedAt := Walked() - before; stoppedAt > full/2 {
					t.Errorf("a cancelled walk visited %d elements of %d; want it to stop early", stoppedAt, full)
				}
			})
		}
	}
}
