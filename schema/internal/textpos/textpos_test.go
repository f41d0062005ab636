package textpos

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLineIndexMatchesRuneCount checks every offset of texts mixing
// one-byte, multi-byte and invalid UTF-8 against a direct count of the
// runes from the start of the line.
func TestLineIndexMatchesRuneCount(t *testing.T) {
	t.Parallel()
	texts := map[string]string{
		"Empty":           "",
		"ASCIIOneLine":    `{"type":"record","name":"R","fields":[]}`,
		"MultiByte":       "{\"doc\":\"ünïcödé 日本 😀\",\n  \"name\":\"é\"}\n",
		"InvalidUTF8":     "{\"doc\":\"\xff\xfe\",\"x\":\"\xe6\x97\"}\n\xc3",
		"ManyLines":       strings.Repeat("é\n", 50),
		"TrailingNewline": "a\n",
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			li := New(text)
			for off := 0; off <= len(text); off++ {
				if off < len(text) && !utf8.RuneStart(text[off]) {
					continue // offsets are token starts, never inside a rune
				}
				start := strings.LastIndexByte(text[:off], '\n') + 1
				wantLine := strings.Count(text[:off], "\n") + 1
				wantCol := utf8.RuneCountInString(text[start:off]) + 1
				if line, col := li.Pos(off); line != wantLine || col != wantCol {
					t.Fatalf("Pos(%d) = %d:%d, want %d:%d", off, line, col, wantLine, wantCol)
				}
			}
		})
	}
}
