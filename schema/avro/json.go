package avro

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
func parseJSON(st *stop.Stopper, text string, maxDepth int) (*jvalue, error) {
	raw := []byte(text)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	p := jsonParser{dec: dec, raw: raw, maxDepth: maxDepth, st: st}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if off := p.next(); off < len(raw) {
		return nil, errorAt(off, "unexpected content after the schema")
	}
	return v, nil
}

type jsonParser struct {
	dec      *json.Decoder
	raw      []byte
	maxDepth int
	st       *stop.Stopper // ticked once per value
}

// next returns the offset of the next token: the decoder's offset moved
// past whitespace and the separators it has not consumed yet.
func (p *jsonParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.raw) {
		if !isSpace(p.raw[off]) {
			break
		}
		off++
	}
	return off
}

// isSpace reports whether c is JSON whitespace or a separator the decoder
// may leave unconsumed.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ':':
		return true
	}
	return false
}

func (p *jsonParser) token() (json.Token, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			// The decoder counts the offending byte as read, except when it
			// stops in front of it; point at the byte itself.
			at := int(se.Offset)
			if at > 0 && at <= len(p.raw) && !isSpace(p.raw[at-1]) {
				at--
			}
			return nil, at, &posError{off: at, msg: "invalid JSON: " + se.Error(), err: err}
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, len(p.raw), &posError{off: len(p.raw), msg: "invalid JSON: unexpected end of text", err: err}
		}
		return nil, off, &posError{off: off, msg: "invalid JSON: " + err.Error(), err: err}
	}
	return tok, off, nil
}

func (p *jsonParser) value(depth int) (*jvalue, error) {
	tok, off, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(tok, off, depth)
}

func (p *jsonParser) valueFrom(tok json.Token, off, depth int) (*jvalue, error) {
	p.st.Tick()
	if depth > p.maxDepth {
		return nil, depthError(off, p.maxDepth)
	}
	switch t := tok.(type) {
	case nil:
		return &jvalue{kind: jNull, off: off}, nil
	case bool:
		return &jvalue{kind: jBool, off: off, boolean: t}, nil
	case json.Number:
		return &jvalue{kind: jNumber, off: off, text: string(t)}, nil
	case string:
		return &jvalue{kind: jString, off: off, text: t}, nil
	case json.Delim:
		switch t {
		case '[':
			v := &jvalue{kind: jArray, off: off}
			for p.dec.More() {
				e, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, e)
			}
			if _, _, err := p.token(); err != nil { // ']'
				return nil, err
			}
			return v, nil
		case '{':
			v := &jvalue{kind: jObject, off: off}
			for p.dec.More() {
				ktok, koff, err := p.token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string)
				if v.member(key) != nil {
					return nil, errorAt(koff, "duplicate key %q", key)
				}
				val, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.members = append(v.members, jmember{key: key, off: koff, val: val})
			}
			if _, _, err := p.token(); err != nil { // '}'
				return nil, err
			}
			return v, nil
		}
	}
	return nil, errorAt(off, "invalid JSON token %v", tok)
}
