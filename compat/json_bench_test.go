package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// genJSONSchema writes version v of a schema of n properties (strings with
// bounds, integers, enums, arrays of objects, references to a definition)
// in a partially open content model. Each version adds one optional
// property, widens a bound, extends an enum and deprecates a property, so
// every version is FULL compatible with every other.
func genJSONSchema(n, v int) string {
	var b strings.Builder
	b.WriteString(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","additionalProperties":{"type":"string"},` +
		`"$defs":{"Money":{"type":"object","properties":{"amount":{"type":"number","minimum":0},"currency":{"type":"string","pattern":"^[A-Z]{3}$"}},"required":["amount","currency"],"additionalProperties":false}},"properties":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 5 {
		case 0:
			dep := ""
			if i == 5*(v%(n/5)) {
				dep = `,"deprecated":true`
			}
			fmt.Fprintf(&b, `"p%d":{"type":"string","maxLength":%d%s}`, i, 10+i, dep)
		case 1:
			fmt.Fprintf(&b, `"p%d":{"type":"integer","minimum":0,"maximum":%d}`, i, 1000+i)
		case 2:
			fmt.Fprintf(&b, `"p%d":{"enum":["a","b","c%d"]}`, i, i)
		case 3:
			fmt.Fprintf(&b, `"p%d":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string"},"y":{"type":["number","null"]}}},"maxItems":%d}`, i, 5+i)
		case 4:
			fmt.Fprintf(&b, `"p%d":{"$ref":"#/$defs/Money"}`, i)
		}
	}
	for j := range v {
		fmt.Fprintf(&b, `,"added%d":{"type":"string"}`, j)
	}
	b.WriteString(`},"required":["p0","p1"]}`)
	return b.String()
}

// BenchmarkJSONCheck200PropertiesFullTransitive checks a 200-property
// schema against 100 earlier versions at FULL_TRANSITIVE: 200 comparisons.
func BenchmarkJSONCheck200PropertiesFullTransitive(b *testing.B) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var history []Version
	for v := range 100 {
		s := mustJSON(b, genJSONSchema(200, v))
		history = append(history, Version{Version: v + 1, Schema: s, RegisteredAt: now.AddDate(0, 0, v-200)})
	}
	new := mustJSON(b, genJSONSchema(200, 100))
	req := Request{Level: FullTransitive, Policy: Policy{Now: now}, New: new, History: history}
	b.ReportAllocs()
	for b.Loop() {
		if res := Check(req); !res.Compatible() {
			b.Fatalf("unexpected findings: %v", res.Messages()[:1])
		}
	}
}

// genJSONWide writes a one-line schema (the form the registry stores) of
// n properties with non-ASCII descriptions, enums and every other property
// deprecated; the next version narrows every property kept and removes
// the deprecated ones.
func genJSONWide(n int, next bool) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	first := true
	for i := range n {
		if next && i%2 == 1 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		maxLen, dep := 100, ""
		if next {
			maxLen = 50
		} else if i%2 == 1 {
			dep = `,"deprecated":true`
		}
		fmt.Fprintf(&b, `"p%d":{"type":"string","maxLength":%d,"enum":["a%d","b","ç"],"description":"prøperty %d"%s}`, i, maxLen, i, i, dep)
	}
	b.WriteString(`}}`)
	return b.String()
}

// BenchmarkJSONCheckWide checks a version of a schema of n properties that
// narrows half of them and removes the other half, deprecated long
// enough, at FULL under the additive-only policy: every property yields
// located findings in both directions and a removal to judge. The cost
// per property (ns/property) stays flat as n grows.
func BenchmarkJSONCheckWide(b *testing.B) {
	for _, n := range []int{1 << 10, 4 << 10, 16 << 10} {
		b.Run(fmt.Sprintf("properties=%d", n), func(b *testing.B) {
			old := mustJSON(b, genJSONWide(n, false))
			new := mustJSON(b, genJSONWide(n, true))
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			req := Request{
				Level:   Full,
				Policy:  Policy{AdditiveOnly: true, Now: now, MinDeprecationPeriod: 24 * time.Hour},
				New:     new,
				History: []Version{{Version: 1, Schema: old, RegisteredAt: now.AddDate(-1, 0, 0)}},
			}
			b.ReportAllocs()
			for b.Loop() {
				res := Check(req)
				// One narrowed maxLength per kept property; the removals
				// are judged by their deprecation and dropped.
				if got := len(res.Findings) + res.Truncated; got != n/2 {
					b.Fatalf("got %d findings, want %d", got, n/2)
				}
				if f := res.Findings[len(res.Findings)-1]; !f.New.IsValid() || !f.Old.IsValid() {
					b.Fatalf("finding not located: %+v", f)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/property")
		})
	}
}
