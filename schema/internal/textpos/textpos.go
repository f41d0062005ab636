// Package textpos converts byte offsets of a schema text to the line and
// column positions that findings and parse errors report.
package textpos

import (
	"sort"
	"unicode/utf8"
)

// Index converts byte offsets of one text to line:column positions.
// Columns count characters (runes), from 1. It is built in one pass, and
// each conversion is two binary searches, so locating every element of a
// one-line text (the compact form the registry stores) stays linear in
// its size rather than rescanning the line for each element.
type Index struct {
	size   int
	starts []int // byte offset of each line start
	// wide holds the offset of each rune longer than one byte, ascending,
	// and extra the bytes beyond the first of that rune and all before it.
	wide  []int
	extra []int
}

// New indexes text.
func New(text string) *Index {
	li := &Index{size: len(text), starts: []int{0}}
	total := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				li.starts = append(li.starts, i+1)
			}
			i++
			continue
		}
		_, w := utf8.DecodeRuneInString(text[i:])
		if w > 1 {
			total += w - 1
			li.wide = append(li.wide, i)
			li.extra = append(li.extra, total)
		}
		i += w
	}
	return li
}

// extraBefore counts the bytes beyond the first of the runes before off.
func (li *Index) extraBefore(off int) int {
	if j := sort.SearchInts(li.wide, off); j > 0 {
		return li.extra[j-1]
	}
	return 0
}

// Pos returns the line and column of byte offset off; an offset past the
// end is the end, a negative one is unknown (0, 0).
func (li *Index) Pos(off int) (line, col int) {
	if off < 0 {
		return 0, 0
	}
	off = min(off, li.size)
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	start := li.starts[i]
	return i + 1, off - start - (li.extraBefore(off) - li.extraBefore(start)) + 1
}
