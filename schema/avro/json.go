package avro

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// jkind is the kind of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jvalue is a JSON value that remembers where it starts in the source text
// and, for objects, the order of its members: Avro Java's toString keeps
// custom properties in source order, and positions let errors and findings
// point at a line and column.
type jvalue struct {
	kind jkind
	off  int // byte offset of the value's first character
	// text is the decoded string, or the literal of a number.
	text    string
	boolean bool
	elems   []*jvalue
	members []jmember
}

// jmember is one member of a JSON object.
type jmember struct {
	key string
	off int // byte offset of the key
	val *jvalue
}

// member returns the member named key, or nil.
func (v *jvalue) member(key string) *jmember {
	for i := range v.members {
		if v.members[i].key == key {
			return &v.members[i]
		}
	}
	return nil
}

// get returns the value of member key, or nil.
func (v *jvalue) get(key string) *jvalue {
	if m := v.member(key); m != nil {
		return m.val
	}
	return nil
}

// posError is a problem at a byte offset of the text being parsed.
type posError struct {
	off int
	msg string
	err error
}

func (e *posError) Error() string { return e.msg }
func (e *posError) Unwrap() error { return e.err }

// depthError is the error of nesting deeper than maxDepth at off.
func depthError(off, maxDepth int) *posError {
	return limitAt(off, &schema.LimitError{Limit: "MaxDepth", Max: maxDepth, What: "the nesting depth"})
}

// limitAt locates a *schema.LimitError at off.
func limitAt(off int, err error) *posError {
	return &posError{off: off, msg: err.Error(), err: err}
}

func errorAt(off int, format string, args ...any) *posError {
	return &posError{off: off, msg: fmt.Sprintf(format, args...)}
}

// parseJSON decodes text into a jvalue tree. Duplicate object keys are an
// error: the Avro specification does not define them, and a schema whose
// meaning depends on which duplicate wins is a mistake worth reporting.
//
// Nesting deeper than maxDepth is refused as soon as it is reached, before
// the rest of the text is read: the bound keeps hostile input from
// exhausting the stack of the recursive walkers (ours and the Avro
// library's, which parses the text only after this check).
//
// It reads the text in one pass with no tokens in between: strings
// without escapes are slices of text, and a string with escapes is
// decoded by encoding/json, so its value is what encoding/json gives.
func parseJSON(st *stop.Stopper, text string, maxDepth int) (*jvalue, error) {
	p := jsonParser{text: text, maxDepth: maxDepth, st: st}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos < len(text) {
		return nil, errorAt(p.pos, "unexpected content after the schema")
	}
	return v, nil
}

type jsonParser struct {
	text     string
	pos      int
	maxDepth int
	st       *stop.Stopper // ticked once per value
}

// dupIndexAt is the member count from which an object's duplicate keys
// are found through a map rather than by comparing with each member.
const dupIndexAt = 16

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.text) {
		switch p.text[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// syntaxError is the error at the current byte, seen where what names
// what was expected (as encoding/json words it), or the end of the text.
func (p *jsonParser) syntaxError(what string) *posError {
	if p.pos >= len(p.text) {
		return &posError{off: len(p.text), msg: "invalid JSON: unexpected end of text"}
	}
	return &posError{off: p.pos, msg: fmt.Sprintf("invalid JSON: invalid character %s %s", quoteChar(p.text[p.pos]), what)}
}

// quoteChar formats c for an error message.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	if c >= utf8.RuneSelf {
		return fmt.Sprintf(`'\x%02x'`, c)
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

func (p *jsonParser) value(depth int) (*jvalue, error) {
	p.st.Tick()
	p.skipSpace()
	off := p.pos
	if depth > p.maxDepth {
		return nil, depthError(off, p.maxDepth)
	}
	if p.pos >= len(p.text) {
		return nil, p.syntaxError("")
	}
	switch c := p.text[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jvalue{kind: jString, off: off, text: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		n, err := p.number()
		if err != nil {
			return nil, err
		}
		return &jvalue{kind: jNumber, off: off, text: n}, nil
	case c == 't':
		return p.literal("true", &jvalue{kind: jBool, off: off, boolean: true})
	case c == 'f':
		return p.literal("false", &jvalue{kind: jBool, off: off})
	case c == 'n':
		return p.literal("null", &jvalue{kind: jNull, off: off})
	}
	return nil, p.syntaxError("looking for beginning of value")
}

func (p *jsonParser) literal(word string, v *jvalue) (*jvalue, error) {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.text) || p.text[p.pos] != word[i] {
			return nil, p.syntaxError(fmt.Sprintf("in literal %s (expecting '%c')", word, word[i]))
		}
		p.pos++
	}
	return v, nil
}

func (p *jsonParser) array(depth int) (*jvalue, error) {
	v := &jvalue{kind: jArray, off: p.pos}
	p.pos++ // '['
	if p.skipSpace(); p.pos < len(p.text) && p.text[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		e, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, e)
		if end, err := p.separator(']', "after array element"); err != nil || end {
			return v, err
		}
	}
}

// separator reads what follows an element of an array or object: a comma
// (more follow) or the closing byte (end). what names the place in
// errors.
func (p *jsonParser) separator(closing byte, what string) (end bool, err error) {
	p.skipSpace()
	if p.pos >= len(p.text) {
		return false, p.syntaxError("")
	}
	switch p.text[p.pos] {
	case ',':
		p.pos++
		return false, nil
	case closing:
		p.pos++
		return true, nil
	}
	return false, p.syntaxError(what)
}

func (p *jsonParser) object(depth int) (*jvalue, error) {
	v := &jvalue{kind: jObject, off: p.pos}
	p.pos++ // '{'
	if p.skipSpace(); p.pos < len(p.text) && p.text[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	// keys indexes the members once there are many, so that duplicates
	// cost linear time whatever the object's size.
	var keys map[string]struct{}
	for {
		p.skipSpace()
		koff := p.pos
		if p.pos >= len(p.text) || p.text[p.pos] != '"' {
			return nil, p.syntaxError("looking for beginning of object key string")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		switch {
		case keys != nil:
			if _, dup := keys[key]; dup {
				return nil, errorAt(koff, "duplicate key %q", key)
			}
			keys[key] = struct{}{}
		case v.member(key) != nil:
			return nil, errorAt(koff, "duplicate key %q", key)
		case len(v.members) >= dupIndexAt:
			keys = make(map[string]struct{}, 2*len(v.members))
			for _, m := range v.members {
				keys[m.key] = struct{}{}
			}
			keys[key] = struct{}{}
		}
		if p.skipSpace(); p.pos >= len(p.text) || p.text[p.pos] != ':' {
			return nil, p.syntaxError("after object key")
		}
		p.pos++
		val, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.members = append(v.members, jmember{key: key, off: koff, val: val})
		if end, err := p.separator('}', "after object key:value pair"); err != nil || end {
			return v, err
		}
	}
}

// str reads the string starting at the current '"'.
func (p *jsonParser) str() (string, error) {
	start := p.pos
	p.pos++
	plain := true // no escapes, valid UTF-8: the value is the text between the quotes
	for {
		if p.pos >= len(p.text) {
			return "", p.syntaxError("")
		}
		c := p.text[p.pos]
		switch {
		case c == '"':
			p.pos++
			if plain {
				return p.text[start+1 : p.pos-1], nil
			}
			var s string
			if err := json.Unmarshal([]byte(p.text[start:p.pos]), &s); err != nil {
				return "", &posError{off: start, msg: "invalid JSON: " + err.Error(), err: err}
			}
			return s, nil
		case c == '\\':
			plain = false
			p.pos++
			if p.pos >= len(p.text) {
				return "", p.syntaxError("")
			}
			switch p.text[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				p.pos++
				for range 4 {
					if p.pos >= len(p.text) {
						return "", p.syntaxError("")
					}
					if !isHex(p.text[p.pos]) {
						return "", p.syntaxError("in \\u hexadecimal character escape")
					}
					p.pos++
				}
			default:
				return "", p.syntaxError("in string escape code")
			}
		case c < 0x20:
			return "", p.syntaxError("in string literal")
		case c < utf8.RuneSelf:
			p.pos++
		default:
			r, size := utf8.DecodeRuneInString(p.text[p.pos:])
			if r == utf8.RuneError && size == 1 {
				plain = false // encoding/json replaces the byte with U+FFFD
			}
			p.pos += size
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number reads a number as JSON's grammar has it and returns its literal.
func (p *jsonParser) number() (string, error) {
	start := p.pos
	if p.text[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.text) && p.text[p.pos] == '0':
		p.pos++
	case p.pos < len(p.text) && p.text[p.pos] >= '1' && p.text[p.pos] <= '9':
		p.digits()
	default:
		return "", p.syntaxError("in numeric literal")
	}
	if p.pos < len(p.text) && p.text[p.pos] == '.' {
		p.pos++
		if !p.digits() {
			return "", p.syntaxError("after decimal point in numeric literal")
		}
	}
	if p.pos < len(p.text) && (p.text[p.pos] == 'e' || p.text[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.text) && (p.text[p.pos] == '+' || p.text[p.pos] == '-') {
			p.pos++
		}
		if !p.digits() {
			return "", p.syntaxError("in exponent of numeric literal")
		}
	}
	return p.text[start:p.pos], nil
}

// digits skips digits, reporting whether there was one.
func (p *jsonParser) digits() bool {
	start := p.pos
	for p.pos < len(p.text) && p.text[p.pos] >= '0' && p.text[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > start
}
