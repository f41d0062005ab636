package ui

import (
	"errors"
	"sort"
	"strings"

	"github.com/schemata-dev/schemata/schema"
)

// displayText is a schema's text laid out for reading, and the map from
// positions in the stored text (where findings and diff entries point) to
// lines of the laid-out text.
type displayText struct {
	Text string
	// marks are (offset in the stored text, line in Text) pairs, ordered
	// by offset; nil when Text is the stored text itself.
	marks []mark
	// lineStarts are the offsets at which the stored text's lines start.
	lineStarts []int
}

type mark struct{ offset, line int }

// layoutText returns text laid out for reading. The registry stores Avro
// schemas in a compact one-line form, useless for a line-by-line view, so
// Avro text is re-indented (short objects stay on one line, as people
// write Avro fields); other formats are shown as stored.
func layoutText(f schema.Format, text string) displayText {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if f != schema.Avro && f != schema.JSON {
		return displayText{Text: text}
	}
	root, err := parseJSON(text)
	if err != nil {
		return displayText{Text: text}
	}
	p := &jsonPrinter{line: 1}
	p.value(root, 0)
	d := displayText{Text: p.b.String(), marks: p.marks, lineStarts: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			d.lineStarts = append(d.lineStarts, i+1)
		}
	}
	return d
}

// line maps a position in the stored text to a line of Text; 0 when the
// position is unknown.
func (d displayText) line(p schema.Position) int {
	if !p.IsValid() {
		return 0
	}
	if d.marks == nil {
		return p.Line
	}
	if p.Line > len(d.lineStarts) {
		return 0
	}
	off := d.lineStarts[p.Line-1] + max(p.Column-1, 0)
	i := sort.Search(len(d.marks), func(i int) bool { return d.marks[i].offset > off })
	if i == 0 {
		return 1
	}
	return d.marks[i-1].line
}

// jsonNode is a JSON value with the offset where it starts.
type jsonNode struct {
	kind   byte // '{', '[' or 0 for a scalar
	offset int
	raw    string // a scalar's text, strings quoted as written
	keys   []jsonNode
	items  []jsonNode
}

var errBadJSON = errors.New("ui: not a JSON document")

// parseJSON reads a JSON document, keeping each value's text and offset.
func parseJSON(s string) (jsonNode, error) {
	p := &jsonParser{s: s}
	n, err := p.value()
	if err != nil {
		return jsonNode{}, err
	}
	p.space()
	if p.i != len(p.s) {
		return jsonNode{}, errBadJSON
	}
	return n, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *jsonParser) value() (jsonNode, error) {
	p.space()
	if p.i >= len(p.s) {
		return jsonNode{}, errBadJSON
	}
	start := p.i
	switch c := p.s[p.i]; c {
	case '{', '[':
		p.i++
		n := jsonNode{kind: c, offset: start}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == closing {
			p.i++
			return n, nil
		}
		for {
			if c == '{' {
				p.space()
				k, err := p.str()
				if err != nil {
					return jsonNode{}, err
				}
				n.keys = append(n.keys, k)
				p.space()
				if p.i >= len(p.s) || p.s[p.i] != ':' {
					return jsonNode{}, errBadJSON
				}
				p.i++
			}
			v, err := p.value()
			if err != nil {
				return jsonNode{}, err
			}
			n.items = append(n.items, v)
			p.space()
			if p.i >= len(p.s) {
				return jsonNode{}, errBadJSON
			}
			switch p.s[p.i] {
			case ',':
				p.i++
			case closing:
				p.i++
				return n, nil
			default:
				return jsonNode{}, errBadJSON
			}
		}
	case '"':
		return p.str()
	}
	for p.i < len(p.s) && strings.IndexByte(",]} \t\r\n", p.s[p.i]) < 0 {
		p.i++
	}
	if p.i == start {
		return jsonNode{}, errBadJSON
	}
	return jsonNode{offset: start, raw: p.s[start:p.i]}, nil
}

func (p *jsonParser) str() (jsonNode, error) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return jsonNode{}, errBadJSON
	}
	start := p.i
	for p.i++; p.i < len(p.s); p.i++ {
		switch p.s[p.i] {
		case '\\':
			p.i++
		case '"':
			p.i++
			return jsonNode{offset: start, raw: p.s[start:p.i]}, nil
		}
	}
	return jsonNode{}, errBadJSON
}

// inlineWidth is the widest a value may be to stay on one line.
const inlineWidth = 88

// jsonPrinter writes nodes indented, recording where each lands.
type jsonPrinter struct {
	b     strings.Builder
	line  int
	marks []mark
}

func (p *jsonPrinter) mark(offset int) {
	p.marks = append(p.marks, mark{offset: offset, line: p.line})
}

func (p *jsonPrinter) newline(indent int) {
	p.b.WriteByte('\n')
	p.b.WriteString(strings.Repeat("  ", indent))
	p.line++
}

func (p *jsonPrinter) value(n jsonNode, indent int) {
	p.mark(n.offset)
	if n.kind == 0 {
		p.b.WriteString(n.raw)
		return
	}
	if _, ok := inlineLen(n, inlineWidth-2*indent); ok {
		p.inline(n)
		return
	}
	p.b.WriteByte(n.kind)
	for i, item := range n.items {
		if i > 0 {
			p.b.WriteByte(',')
		}
		p.newline(indent + 1)
		if n.kind == '{' {
			p.mark(n.keys[i].offset)
			p.b.WriteString(n.keys[i].raw)
			p.b.WriteString(": ")
		}
		p.value(item, indent+1)
	}
	p.newline(indent)
	if n.kind == '{' {
		p.b.WriteByte('}')
	} else {
		p.b.WriteByte(']')
	}
}

// inline writes n on the current line.
func (p *jsonPrinter) inline(n jsonNode) {
	if n.kind == 0 {
		p.mark(n.offset)
		p.b.WriteString(n.raw)
		return
	}
	p.b.WriteByte(n.kind)
	for i, item := range n.items {
		if i > 0 {
			p.b.WriteString(", ")
		}
		if n.kind == '{' {
			p.mark(n.keys[i].offset)
			p.b.WriteString(n.keys[i].raw)
			p.b.WriteString(": ")
		}
		p.mark(item.offset)
		p.inline(item)
	}
	if n.kind == '{' {
		p.b.WriteByte('}')
	} else {
		p.b.WriteByte(']')
	}
}

// inlineLen returns n's one-line width, and false once it exceeds limit.
// An object holding an array of objects (a record and its fields) is
// never inlined: it reads better unfolded.
func inlineLen(n jsonNode, limit int) (int, bool) {
	if n.kind == 0 {
		return len(n.raw), len(n.raw) <= limit
	}
	w := 2
	for i, item := range n.items {
		if item.kind == '[' && n.kind == '{' && hasObject(item) {
			return 0, false
		}
		if i > 0 {
			w += 2
		}
		if n.kind == '{' {
			w += len(n.keys[i].raw) + 2
		}
		iw, ok := inlineLen(item, limit-w)
		if !ok {
			return 0, false
		}
		w += iw
		if w > limit {
			return 0, false
		}
	}
	return w, w <= limit
}

func hasObject(n jsonNode) bool {
	for _, it := range n.items {
		if it.kind == '{' {
			return true
		}
	}
	return false
}
