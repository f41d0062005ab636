package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/schema"
)

// genWideDeprecated writes, in format f, a record, message or object of n
// fields, every one deprecated, or, for next, the version that removes
// every other one.
func genWideDeprecated(f schema.Format, n int, next bool) string {
	var b strings.Builder
	switch f {
	case schema.Avro:
		b.WriteString(`{"type":"record","name":"W","namespace":"bench","fields":[{"name":"id","type":"string"}`)
	case schema.Protobuf:
		b.WriteString("syntax = \"proto3\";\npackage bench;\nmessage W {\n  string id = 1;\n")
	case schema.JSON:
		b.WriteString(`{"type":"object","properties":{"id":{"type":"string"}`)
	}
	for i := range n {
		if next && i%2 == 1 {
			continue
		}
		dep := !next
		switch f {
		case schema.Avro:
			fmt.Fprintf(&b, `,{"name":"f%d","type":"int","default":0%s}`, i, map[bool]string{true: `,"deprecated":true`}[dep])
		case schema.Protobuf:
			fmt.Fprintf(&b, "  int32 f%d = %d%s;\n", i, i+2, map[bool]string{true: " [deprecated = true]"}[dep])
		case schema.JSON:
			fmt.Fprintf(&b, `,"f%d":{"type":"integer"%s}`, i, map[bool]string{true: `,"deprecated":true`}[dep])
		}
	}
	switch f {
	case schema.Avro:
		b.WriteString("]}")
	case schema.Protobuf:
		b.WriteString("}\n")
	case schema.JSON:
		b.WriteString("}}")
	}
	return b.String()
}

func parseBench(b *testing.B, f schema.Format, text string) schema.Schema {
	b.Helper()
	switch f {
	case schema.Avro:
		return mustAvro(b, text)
	case schema.Protobuf:
		return mustProto(b, text, nil)
	case schema.JSON:
		return mustJSON(b, text)
	}
	return nil
}

// BenchmarkConsumerWide removes half of n deprecated fields while two
// consumers read the subject, one with a reader schema and one with a
// list of every field: the additive-only policy asks, for each removal,
// whether a consumer still reads it (ReadsIn, built once per check), and each consumer is checked against
// the new version. The cost per field (ns/field) stays flat as n grows.
func BenchmarkConsumerWide(b *testing.B) {
	for _, f := range []schema.Format{schema.Avro, schema.Protobuf, schema.JSON} {
		for _, n := range []int{1 << 10, 4 << 10, 16 << 10} {
			b.Run(fmt.Sprintf("%s/fields=%d", f, n), func(b *testing.B) {
				old := parseBench(b, f, genWideDeprecated(f, n, false))
				new := parseBench(b, f, genWideDeprecated(f, n, true))
				fields := make([]string, n)
				for i := range fields {
					fields[i] = fmt.Sprintf("f%d", i)
				}
				readers := []ConsumerReader{
					{Consumer: "reader", Reader: old, Message: "bench.W"},
					{Consumer: "fields", Fields: fields, Message: "bench.W"},
				}
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				b.ReportAllocs()
				for b.Loop() {
					// As the registry does, once per check.
					var reads []func(string) bool
					for _, r := range readers {
						reads = append(reads, r.ReadsIn(old))
					}
					req := Request{
						Level: Backward,
						Policy: Policy{AdditiveOnly: true, Now: now, StillRead: func(path string) []string {
							var names []string
							for i, r := range readers {
								if reads[i](path) {
									names = append(names, r.Consumer)
								}
							}
							return names
						}},
						New:     new,
						History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(-1, 0, 0)}},
					}
					// Every removal is still read, so each is refused.
					if res := Check(req); res.Compatible() {
						b.Fatal("removals still read were accepted")
					}
					for _, r := range readers {
						CheckConsumer(ConsumerRequest{Consumer: r, Writer: new, Reference: old})
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/field")
			})
		}
	}
}
