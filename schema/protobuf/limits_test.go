package protobuf

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/memtest"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// literalBomb is a schema whose message option is a literal nested depth
// levels deep: {a:{a:{...}}}.
func literalBomb(depth int) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\n")
	b.WriteString("message R { R a = 1; }\nextend google.protobuf.MessageOptions { R x = 50000; }\n")
	b.WriteString("message M { option (x) = ")
	b.WriteString(strings.Repeat("{a:", depth))
	b.WriteString("{}")
	b.WriteString(strings.Repeat("}", depth))
	b.WriteString("; }\n")
	return b.String()
}

// nestedMessages is a schema of messages nested depth levels deep.
func nestedMessages(depth int) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\n")
	for i := range depth {
		fmt.Fprintf(&b, "message M%d { int32 f = 1; ", i)
	}
	b.WriteString(strings.Repeat("}", depth))
	return b.String()
}

// TestLiteralBombIsRefusedInBoundedMemory: nested option literals cost the
// compiler memory quadratic in their depth (a 400 KB literal once took
// close to 1 GB); the depth check must refuse them before it runs.
func TestLiteralBombIsRefusedInBoundedMemory(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		lim   schema.Limits
		limit string
	}{
		{name: "Depth5000", depth: 5_000, limit: "MaxDepth"},
		{name: "Depth100000", depth: 100_000, limit: "MaxDepth"},
		{name: "FourMegabytes", depth: 1_000_000, limit: "MaxTextBytes"},
		{name: "FourMegabytesUnderARaisedSizeLimit", depth: 1_000_000, lim: schema.Limits{MaxTextBytes: 8 << 20}, limit: "MaxDepth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := schematest.RefusedInBoundedMemory(t, literalBomb(tt.depth), func(text string) error {
				_, err := ParseWithLimits(context.Background(), DefaultName, text, nil, tt.lim)
				return err
			}, tt.limit)
			if tt.limit == "MaxDepth" && pe.Pos.Line != 5 {
				t.Errorf("Parse() error at %v, want line 5", pe.Pos)
			}
		})
	}
}

// TestDeepLiteralWithinRaisedLimitParsesInBoundedMemory: where an operator
// raises the depth limit, printing the normalized form stays linear in the
// depth (it used to copy each level's text into its parent's).
func TestDeepLiteralWithinRaisedLimitParsesInBoundedMemory(t *testing.T) {
	text := literalBomb(2_000)
	var (
		s   *Schema
		err error
	)
	n := memtest.Allocated(func() {
		s, err = ParseWithLimits(context.Background(), DefaultName, text, nil, schema.Limits{MaxDepth: 3_000})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(s.Normalized(), "a: "); got != 2_000 {
		t.Errorf("Normalized() holds %d levels, want 2000", got)
	}
	if n > 64<<20 {
		t.Errorf("parsing a literal 2000 levels deep allocated %d MiB, want at most 64 MiB", n>>20)
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	fields := func(n int) string {
		var b strings.Builder
		b.WriteString("syntax = \"proto3\";\nmessage M {\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "  int32 f%d = %d;\n", i, i)
		}
		b.WriteString("}\n")
		return b.String()
	}
	tests := []struct {
		name  string
		text  string
		deps  []schema.Dependency
		lim   schema.Limits
		limit string // the LimitError.Limit wanted, "" for success
		msg   string
	}{
		{name: "TextWithinSize", text: fields(3), lim: schema.Limits{MaxTextBytes: 200}},
		{name: "TextTooLarge", text: fields(30), lim: schema.Limits{MaxTextBytes: 200}, limit: "MaxTextBytes", msg: "limit of 200"},
		{
			name: "ReferenceTooLarge", text: "syntax = \"proto3\";\nimport \"a.proto\";\n",
			deps: []schema.Dependency{{Name: "a.proto", Text: fields(30)}}, lim: schema.Limits{MaxTextBytes: 200},
			limit: "MaxTextBytes", msg: `in reference "a.proto"`,
		},
		{name: "NestedMessagesWithinDepth", text: nestedMessages(10), lim: schema.Limits{MaxDepth: 10}},
		{name: "NestedMessagesTooDeep", text: nestedMessages(11), lim: schema.Limits{MaxDepth: 10}, limit: "MaxDepth", msg: "nesting depth"},
		{name: "LiteralTooDeep", text: literalBomb(300), limit: "MaxDepth", msg: "limit of 256"},
		{name: "TooManyFields", text: fields(11), lim: schema.Limits{MaxFields: 10}, limit: "MaxFields"},
		{name: "FieldsWithinLimit", text: fields(10), lim: schema.Limits{MaxFields: 10}},
		{name: "TooManyMessages", text: nestedMessages(6), lim: schema.Limits{MaxDefinitions: 5}, limit: "MaxDefinitions"},
		{
			name: "TooManyEnumValues", text: "syntax = \"proto3\";\nenum E { A = 0; B = 1; C = 2; }\n",
			lim: schema.Limits{MaxEnumSymbols: 2}, limit: "MaxEnumSymbols",
		},
		{
			name: "ReferencesCount", text: "syntax = \"proto3\";\nimport \"a.proto\";\nmessage M { A a = 1; }\n",
			deps: []schema.Dependency{
				{Name: "a.proto", Text: "syntax = \"proto3\";\nmessage A { int32 x = 1; int32 y = 2; }\n"},
			},
			lim: schema.Limits{MaxFields: 2}, limit: "MaxFields",
		},
		{
			name: "TooManyReferences", text: "syntax = \"proto3\";\n",
			deps: []schema.Dependency{{Name: "a.proto", Text: "syntax = \"proto3\";"}, {Name: "b.proto", Text: "syntax = \"proto3\";"}},
			lim:  schema.Limits{MaxReferences: 1}, limit: "MaxReferences",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseWithLimits(context.Background(), DefaultName, tt.text, tt.deps, tt.lim)
			if tt.limit == "" {
				if err != nil {
					t.Fatalf("ParseWithLimits() error = %v, want none", err)
				}
				return
			}
			pe := schematest.Refused(t, err, tt.limit)
			if !strings.Contains(pe.Error(), tt.limit) || !strings.Contains(pe.Error(), tt.msg) {
				t.Errorf("message %q does not name %s or contain %q", pe.Error(), tt.limit, tt.msg)
			}
		})
	}
}

func TestTooDeep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		pos  schema.Position // zero when within the depth of 2
	}{
		{name: "Flat", text: "message M { int32 a = 1; }"},
		{name: "TwoLevels", text: "message M { message N { } }"},
		{name: "ThreeLevels", text: "message M {\n  message N {\n    message O {} } }", pos: schema.Position{Line: 3, Column: 15}},
		{name: "BracketsOfEveryKindCount", text: "a { b [ (", pos: schema.Position{Line: 1, Column: 9}},
		{name: "ClosedLevelsAreLeft", text: "{{}}{{}}{{}}"},
		{name: "LineComment", text: "{ // {{{\n}"},
		{name: "BlockComment", text: "{ /* {{{\n{{ */ }"},
		{name: "UnterminatedBlockComment", text: "{ /* {{{"},
		{name: "DoubleQuotedString", text: `{ "{{{\"{{" }`},
		{name: "SingleQuotedString", text: `{ '{{{\'{{' }`},
		{name: "StringEndsAtLineEnd", text: "{ \"{{\n{{", pos: schema.Position{Line: 2, Column: 2}},
		{name: "StrayClosersDoNotGoNegative", text: "}}}}{{{", pos: schema.Position{Line: 1, Column: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pos, deep := tooDeep(tt.text, 2)
			if deep != tt.pos.IsValid() || pos != tt.pos {
				t.Errorf("tooDeep(%q) = %v, %v; want %v", tt.text, pos, deep, tt.pos)
			}
		})
	}
}

// BenchmarkParseDeepLiteral parses option literals nested 100 and 1000
// levels deep (the limit raised to allow it).
func BenchmarkParseDeepLiteral(b *testing.B) {
	for _, depth := range []int{100, 1000} {
		text := literalBomb(depth)
		lim := schema.Limits{MaxDepth: 2 * depth}
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseWithLimits(context.Background(), DefaultName, text, nil, lim); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPrintDeepLiteral renders the identity form of option literals
// nested 100 and 1000 levels deep: the printer alone, linear in depth.
func BenchmarkPrintDeepLiteral(b *testing.B) {
	for _, depth := range []int{100, 1000} {
		s, err := ParseWithLimits(context.Background(), DefaultName, literalBomb(depth), nil, schema.Limits{MaxDepth: 2 * depth})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if printFile(s.file, printForm{}, nil) == "" {
					b.Fatal("empty form")
				}
			}
		})
	}
}

// BenchmarkCheckDepth scans a literal bomb one million levels deep: the
// scan stops at the first level too deep.
func BenchmarkCheckDepth(b *testing.B) {
	text := literalBomb(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, deep := tooDeep(text, schema.DefaultMaxDepth); !deep {
			b.Fatal("not too deep")
		}
	}
}
