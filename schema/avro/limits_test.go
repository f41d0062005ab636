package avro_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// nestingBomb nests records, arrays, maps and unions in turn, levels deep
// (every four levels nest six JSON values).
func nestingBomb(levels int) string {
	var open, close strings.Builder
	for i := range levels {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&open, `{"type":"record","name":"R%d","fields":[{"name":"f","type":`, i)
			close.WriteString(`}]}`)
		case 1:
			open.WriteString(`{"type":"array","items":`)
			close.WriteString(`}`)
		case 2:
			open.WriteString(`{"type":"map","values":`)
			close.WriteString(`}`)
		case 3:
			open.WriteString(`["null",`)
			close.WriteString(`]`)
		}
	}
	closing := []byte(close.String())
	for i, j := 0, len(closing)-1; i < j; i, j = i+1, j-1 {
		closing[i], closing[j] = closing[j], closing[i]
	}
	// Each level's closing text reads the same backwards, so reversing
	// the whole closes the levels innermost first.
	return open.String() + `"int"` + string(closing)
}

// records is a record with fields fields of its own.
func records(fields int) string {
	parts := make([]string, fields)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"name":"f%d","type":"int"}`, i)
	}
	return `{"type":"record","name":"R","fields":[` + strings.Join(parts, ",") + `]}`
}

func TestNestingBombIsRefusedInBoundedMemory(t *testing.T) {
	tests := []struct {
		name   string
		levels int
		lim    schema.Limits
		limit  string
	}{
		{name: "JustTooDeep", levels: 200, limit: "MaxDepth"},
		{name: "HundredThousandLevels", levels: 100_000, lim: schema.Limits{MaxTextBytes: 8 << 20}, limit: "MaxDepth"},
		{name: "FourMegabytes", levels: 100_000, limit: "MaxTextBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schematest.RefusedInBoundedMemory(t, nestingBomb(tt.levels), func(text string) error {
				_, err := avro.ParseWithLimits(context.Background(), text, nil, tt.lim)
				return err
			}, tt.limit)
		})
	}
}

func TestNestingWithinTheLimitParses(t *testing.T) {
	t.Parallel()
	s := mustParse(t, nestingBomb(80))
	if s.Root() == nil {
		t.Fatal("no schema tree")
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	enum := func(symbols int) string {
		s := make([]string, symbols)
		for i := range s {
			s[i] = fmt.Sprintf(`"S%d"`, i)
		}
		return `{"type":"enum","name":"E","symbols":[` + strings.Join(s, ",") + `]}`
	}
	tests := []struct {
		name  string
		text  string
		deps  []schema.Dependency
		lim   schema.Limits
		limit string // "" for success
		pos   schema.Position
	}{
		{name: "WithinSize", text: records(3), lim: schema.Limits{MaxTextBytes: 200}},
		{name: "TooLarge", text: records(30), lim: schema.Limits{MaxTextBytes: 200}, limit: "MaxTextBytes"},
		{name: "ReferenceTooLarge", text: `"D"`, deps: []schema.Dependency{{Name: "D", Text: records(30)}}, lim: schema.Limits{MaxTextBytes: 200}, limit: "MaxTextBytes"},
		{name: "TooDeep", text: `[[["int"]]]`, lim: schema.Limits{MaxDepth: 2}, limit: "MaxDepth", pos: schema.Position{Line: 1, Column: 4}},
		{name: "FieldsWithinLimit", text: records(10), lim: schema.Limits{MaxFields: 10}},
		{name: "TooManyFields", text: records(11), lim: schema.Limits{MaxFields: 10}, limit: "MaxFields", pos: schema.Position{Line: 1, Column: 38}},
		{name: "SymbolsWithinLimit", text: enum(5), lim: schema.Limits{MaxEnumSymbols: 5}},
		{name: "TooManySymbols", text: enum(6), lim: schema.Limits{MaxEnumSymbols: 5}, limit: "MaxEnumSymbols"},
		{name: "TooManyDefinitions", text: nestingBomb(9), lim: schema.Limits{MaxDefinitions: 2}, limit: "MaxDefinitions"},
		{
			name: "DefinitionsOfReferencesCount", text: `{"type":"record","name":"S","fields":[{"name":"d","type":"D"}]}`,
			deps: []schema.Dependency{{Name: "D", Text: `{"type":"fixed","name":"D","size":1}`}},
			lim:  schema.Limits{MaxDefinitions: 1}, limit: "MaxDefinitions",
		},
		{
			name: "TooManyReferences", text: `"int"`,
			deps: []schema.Dependency{{Name: "A", Text: `{"type":"fixed","name":"A","size":1}`}, {Name: "B", Text: `{"type":"fixed","name":"B","size":1}`}},
			lim:  schema.Limits{MaxReferences: 1}, limit: "MaxReferences",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := avro.ParseWithLimits(context.Background(), tt.text, tt.deps, tt.lim)
			if tt.limit == "" {
				if err != nil {
					t.Fatalf("ParseWithLimits() error = %v, want none", err)
				}
				return
			}
			pe := schematest.Refused(t, err, tt.limit)
			if !strings.Contains(pe.Error(), tt.limit) {
				t.Errorf("message %q does not name the limit %s", pe.Error(), tt.limit)
			}
			if tt.pos.IsValid() && pe.Pos != tt.pos {
				t.Errorf("error at %v, want %v", pe.Pos, tt.pos)
			}
		})
	}
}

// BenchmarkParseDeepNesting parses records, arrays, maps and unions nested
// 10 and 100 levels deep (15 and 150 levels of JSON).
func BenchmarkParseDeepNesting(b *testing.B) {
	for _, levels := range []int{10, 100} {
		text := nestingBomb(levels)
		b.Run(fmt.Sprintf("levels=%d", levels), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				mustParse(b, text)
			}
		})
	}
}
