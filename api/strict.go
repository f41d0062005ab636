package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Strict decoding (encoding/json's DisallowUnknownFields) needs a
// json.Decoder, which copies the body into buffers of its own, growing
// them as it reads: on a registration that is more than the body's size
// in garbage. A body whose member names all match their struct's fields
// exactly has no unknown field, so surelyKnown lets such a body be
// decoded by json.Unmarshal, and leaves every other body (a misspelled
// field, a name in another case, an escaped name) to the Decoder, which
// decides.

// maxKnownDepth bounds the walk; deeper bodies are left to the Decoder.
const maxKnownDepth = 64

// surelyKnown reports whether every member name of data, one valid JSON
// value that json.Unmarshal has decoded into a t, is exactly the JSON
// name of a field of the struct it was decoded into. False means only
// that the Decoder must decide.
func surelyKnown(data []byte, t reflect.Type) bool {
	w := knownWalker{data: data}
	return w.value(t, 0)
}

// knownWalker walks valid JSON beside the Go type it decodes into.
type knownWalker struct {
	data []byte
	i    int
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value walks the value at w.i, decoded into a t.
func (w *knownWalker) value(t reflect.Type, depth int) bool {
	if depth > maxKnownDepth {
		return false
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	w.space()
	// A type that decodes itself sees its bytes without the decoder's
	// strictness, as does an interface.
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		w.skip()
		return true
	}
	switch c := w.data[w.i]; {
	case c == '{' && t.Kind() == reflect.Struct:
		fields, ok := knownFieldsOf(t)
		if !ok {
			return false
		}
		return w.members(fields, nil, depth)
	case c == '{' && t.Kind() == reflect.Map:
		return w.members(nil, t.Elem(), depth)
	case c == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		w.i++
		for {
			w.space()
			if w.data[w.i] == ']' {
				w.i++
				return true
			}
			if !w.value(t.Elem(), depth+1) {
				return false
			}
			w.space()
			if w.data[w.i] == ',' {
				w.i++
			}
		}
	}
	w.skip()
	return true
}

// members walks an object at w.i: a struct's, whose members are fields,
// or a map's (fields nil), whose members are all of type elem. A name
// the struct does not surely have, or one written with escapes, ends the
// walk.
func (w *knownWalker) members(fields map[string]reflect.Type, elem reflect.Type, depth int) bool {
	w.i++ // {
	for {
		w.space()
		switch w.data[w.i] {
		case '}':
			w.i++
			return true
		case ',':
			w.i++
			continue
		}
		start := w.i + 1
		w.skipString()
		name := w.data[start : w.i-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			return false
		}
		t := elem
		if fields != nil {
			if t = fields[string(name)]; t == nil {
				return false
			}
		}
		w.space()
		w.i++ // :
		if !w.value(t, depth+1) {
			return false
		}
	}
}

// skip moves past the value at w.i.
func (w *knownWalker) skip() {
	nested := 0
	for {
		switch w.data[w.i] {
		case '"':
			w.skipString()
		case '{', '[':
			nested++
			w.i++
		case '}', ']':
			nested--
			w.i++
		default:
			// A literal, or a separator inside a container.
			w.i++
			for nested == 0 && w.i < len(w.data) && isLiteralByte(w.data[w.i]) {
				w.i++
			}
		}
		if nested == 0 {
			return
		}
	}
}

// skipString moves past the string at w.i.
func (w *knownWalker) skipString() {
	w.i++
	for {
		switch w.data[w.i] {
		case '\\':
			w.i += 2
		case '"':
			w.i++
			return
		default:
			w.i++
		}
	}
}

func (w *knownWalker) space() {
	for w.i < len(w.data) && isJSONSpace(w.data[w.i]) {
		w.i++
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isLiteralByte reports whether c may continue a number, true, false or
// null.
func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '.' || c == '+' || c == '-' || c == 'E'
}

// knownFields caches knownFieldsOf.
var knownFields sync.Map // reflect.Type → map[string]reflect.Type, or nil

// knownFieldsOf returns the JSON names of t's fields and their types, as
// encoding/json decodes into them. A name given to more than one field
// (at any depth of embedding) maps to nil: encoding/json's rules decide
// which, if any, it fills, and the walker leaves it to the Decoder. ok is
// false when structs embed each other deeper than the walker follows.
func knownFieldsOf(t reflect.Type) (map[string]reflect.Type, bool) {
	if v, ok := knownFields.Load(t); ok {
		m := v.(map[string]reflect.Type)
		return m, m != nil
	}
	m := map[string]reflect.Type{}
	if !addKnownFields(m, t, 0) {
		m = nil
	}
	knownFields.Store(t, m)
	return m, m != nil
}

func addKnownFields(m map[string]reflect.Type, t reflect.Type, depth int) bool {
	if depth > maxKnownDepth {
		return false
	}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if !addKnownFields(m, ft, depth+1) {
					return false
				}
				continue
			}
			if !f.IsExported() {
				continue
			}
		} else if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := m[name]; dup {
			m[name] = nil
			continue
		}
		m[name] = f.Type
	}
	return true
}
