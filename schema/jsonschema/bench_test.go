package jsonschema

import (
	"fmt"
	"strings"
	"testing"
)

// genSchema writes an object schema of n properties cycling through
// strings with bounds, numbers, enums, arrays of objects and references.
func genSchema(n int) string {
	var b strings.Builder
	b.WriteString(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"Money":{"type":"object","properties":{"amount":{"type":"number","minimum":0},"currency":{"type":"string","pattern":"^[A-Z]{3}$"}},"required":["amount","currency"],"additionalProperties":false}},"properties":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `"p%d":{"type":"string","maxLength":%d,"description":"property %d"}`, i, 10+i, i)
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
	b.WriteString(`},"required":["p0","p1"]}`)
	return b.String()
}

func BenchmarkParse200Properties(b *testing.B) {
	text := genSchema(200)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(text, nil)
		if err != nil {
			b.Fatal(err)
		}
		if s.Normalized() == "" {
			b.Fatal("empty normalized form")
		}
	}
}
