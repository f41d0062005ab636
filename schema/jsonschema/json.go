package jsonschema

import (
	"fmt"
	"hash/maphash"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// Limits on input. Real schemas are a few hundred kilobytes at most and nest
// a few dozen levels; the bounds keep hostile input from exhausting memory or
// the stack of the recursive walkers (ours and the validation library's).
const (
	// MaxBytes is the largest schema text Parse accepts.
	MaxBytes = 4 << 20
	// MaxDepth is the deepest nesting of JSON arrays and objects Parse
	// accepts.
	MaxDepth = 200
)

// Kind is the kind of a JSON value.
type Kind uint8

// The JSON kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// Value is a JSON value of schema text that remembers where it starts and,
// for objects, the order of its members. Values are immutable once Parse
// returns and safe for concurrent use.
type Value struct {
	kind Kind
	doc  int // index of the document: 0 is the schema itself, i > 0 is dependency i-1
	off  int // byte offset of the value's first character
	// text is the decoded string, or the literal of a number.
	text string
	// num is a number's exact value in lowest terms ("3/2"), or its
	// literal when too large to compute; equal numbers have equal num.
	num     string
	boolean bool
	elems   []*Value
	members []Member
	index   map[string]int
	// hash identifies the value's canonical form; hasRef reports whether
	// it contains a "$ref", whose meaning depends on the enclosing document.
	hash   uint64
	hasRef bool
}

// Member is one member of a JSON object.
type Member struct {
	Key   string
	Value *Value
	off   int // byte offset of the key
	// hash and hasRef copy the value's, so that walkers comparing many
	// members find them without following the pointer.
	hash   uint64
	hasRef bool
}

// SameValue reports whether m and o have equal values (see Value.Equal)
// that contain no "$ref", reading only the members themselves.
func (m Member) SameValue(o Member) bool {
	return m.hash == o.hash && !m.hasRef && !o.hasRef && m.Value.kind == o.Value.kind
}

// Kind returns the kind of v.
func (v *Value) Kind() Kind { return v.kind }

// Str returns the value of a string.
func (v *Value) Str() string { return v.text }

// NumberText returns a number as written in the text.
func (v *Value) NumberText() string { return v.text }

// Bool returns the value of a boolean.
func (v *Value) Bool() bool { return v.boolean }

// Elems returns the elements of an array; nil for a nil Value.
func (v *Value) Elems() []*Value {
	if v == nil {
		return nil
	}
	return v.elems
}

// Members returns the members of an object in text order; nil for a nil
// Value.
func (v *Value) Members() []Member {
	if v == nil {
		return nil
	}
	return v.members
}

// Get returns the value of member key of an object, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.kind != Object {
		return nil
	}
	if v.index != nil {
		if i, ok := v.index[key]; ok {
			return v.members[i].Value
		}
		return nil
	}
	for i := range v.members {
		if v.members[i].Key == key {
			return v.members[i].Value
		}
	}
	return nil
}

// Hash identifies v's canonical form: equal values have equal hashes.
func (v *Value) Hash() uint64 { return v.hash }

// HasRef reports whether v contains a "$ref" member at any depth. Two
// values with equal hashes and no references mean the same thing wherever
// they appear.
func (v *Value) HasRef() bool { return v.hasRef }

// Equal reports whether v and w are the same JSON value: numbers compared
// by value, object members in any order. It compares hashes (64 bits,
// seeded per process), so a false match has a chance of 2^-64.
func (v *Value) Equal(w *Value) bool {
	return v.kind == w.kind && v.hash == w.hash
}

// posError is a problem at a byte offset of the text being parsed.
type posError struct {
	off int
	msg string
}

func (e *posError) Error() string { return e.msg }

func errorAt(off int, format string, args ...any) error {
	return &posError{off: off, msg: fmt.Sprintf(format, args...)}
}

// reader is a recursive-descent JSON reader that keeps offsets. Duplicate
// keys are an error: which one wins differs between JSON libraries, so a
// schema with duplicates could mean different things to different readers.
type reader struct {
	s   string
	i   int
	doc int
	st  *stop.Stopper
}

func parseJSON(text string, doc int, st *stop.Stopper) (*Value, error) {
	if len(text) > MaxBytes {
		return nil, errorAt(0, "the schema is %d bytes long; the limit is %d bytes", len(text), MaxBytes)
	}
	r := &reader{s: text, doc: doc, st: st}
	r.skipSpace()
	v, err := r.value(0)
	if err != nil {
		return nil, err
	}
	r.skipSpace()
	if r.i < len(r.s) {
		return nil, errorAt(r.i, "unexpected %s after the JSON value", r.describe())
	}
	return v, nil
}

func (r *reader) skipSpace() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// skip consumes c when it comes next, after any whitespace, and reports
// whether it did.
func (r *reader) skip(c byte) bool {
	r.skipSpace()
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *reader) describe() string {
	if r.i >= len(r.s) {
		return "end of input"
	}
	c, _ := utf8.DecodeRuneInString(r.s[r.i:])
	return strconv.QuoteRune(c)
}

func (r *reader) value(depth int) (*Value, error) {
	r.st.Tick()
	if r.i >= len(r.s) {
		return nil, errorAt(r.i, "unexpected end of input, expected a JSON value")
	}
	start := r.i
	switch c := r.s[r.i]; {
	case c == '{':
		if depth >= MaxDepth {
			return nil, errorAt(start, "the schema nests deeper than %d levels", MaxDepth)
		}
		return r.object(depth + 1)
	case c == '[':
		if depth >= MaxDepth {
			return nil, errorAt(start, "the schema nests deeper than %d levels", MaxDepth)
		}
		return r.array(depth + 1)
	case c == '"':
		s, err := r.str()
		if err != nil {
			return nil, err
		}
		v := &Value{kind: String, doc: r.doc, off: start, text: s}
		v.hash = hashString('s', s)
		return v, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return &Value{kind: Bool, doc: r.doc, off: start, boolean: true, hash: hashString('b', "true")}, nil
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return &Value{kind: Bool, doc: r.doc, off: start, hash: hashString('b', "false")}, nil
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		return &Value{kind: Null, doc: r.doc, off: start, hash: hashString('n', "")}, nil
	}
	return nil, errorAt(start, "unexpected %s, expected a JSON value", r.describe())
}

func (r *reader) object(depth int) (*Value, error) {
	v := &Value{kind: Object, doc: r.doc, off: r.i}
	r.i++
	if r.skip('}') {
		v.finish()
		return v, nil
	}
	seen := map[string]bool{}
	for {
		r.skipSpace()
		if r.i >= len(r.s) || r.s[r.i] != '"' {
			return nil, errorAt(r.i, "unexpected %s, expected a member name in double quotes", r.describe())
		}
		koff := r.i
		k, err := r.str()
		if err != nil {
			return nil, err
		}
		if seen[k] {
			return nil, errorAt(koff, "duplicate key %q", k)
		}
		seen[k] = true
		if !r.skip(':') {
			return nil, errorAt(r.i, "unexpected %s, expected ':' after member name", r.describe())
		}
		r.skipSpace()
		val, err := r.value(depth)
		if err != nil {
			return nil, err
		}
		v.members = append(v.members, Member{Key: k, Value: val, off: koff})
		if r.skip(',') {
			continue
		}
		if r.skip('}') {
			v.finish()
			return v, nil
		}
		return nil, errorAt(r.i, "unexpected %s, expected ',' or '}'", r.describe())
	}
}

func (r *reader) array(depth int) (*Value, error) {
	v := &Value{kind: Array, doc: r.doc, off: r.i}
	r.i++
	if r.skip(']') {
		v.finish()
		return v, nil
	}
	for {
		r.skipSpace()
		e, err := r.value(depth)
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, e)
		if r.skip(',') {
			continue
		}
		if r.skip(']') {
			v.finish()
			return v, nil
		}
		return nil, errorAt(r.i, "unexpected %s, expected ',' or ']'", r.describe())
	}
}

// hashSeed is chosen per process, so hashes cannot be steered towards a
// collision by crafted input; they are compared only within a process.
var hashSeed = maphash.MakeSeed()

// finish computes the hash and member index of a complete array or object.
// The hash of an object ignores member order, like Equal: each member's
// key and value are hashed together, and the member hashes are summed.
func (v *Value) finish() {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	if v.kind == Array {
		h.WriteByte('a')
		for _, e := range v.elems {
			maphash.WriteComparable(&h, e.hash)
			v.hasRef = v.hasRef || e.hasRef
		}
		v.hash = h.Sum64()
		return
	}
	var sum uint64
	for i := range v.members {
		m := &v.members[i]
		m.hash, m.hasRef = m.Value.hash, m.Value.hasRef
		h.Reset()
		h.WriteString(m.Key)
		h.WriteByte(0)
		maphash.WriteComparable(&h, m.Value.hash)
		sum += h.Sum64()
		v.hasRef = v.hasRef || m.Value.hasRef || m.Key == "$ref"
	}
	h.Reset()
	h.WriteByte('o')
	maphash.WriteComparable(&h, sum)
	maphash.WriteComparable(&h, len(v.members))
	v.hash = h.Sum64()
	if len(v.members) > 8 {
		v.index = make(map[string]int, len(v.members))
		for i, m := range v.members {
			v.index[m.Key] = i
		}
	}
}

func hashString(tag byte, s string) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	h.WriteByte(tag)
	h.WriteString(s)
	return h.Sum64()
}

func (r *reader) number() (*Value, error) {
	start := r.i
	if r.s[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	intStart := r.i
	if digits() == 0 {
		return nil, errorAt(r.i, "invalid number: expected a digit")
	}
	if r.s[intStart] == '0' && r.i-intStart > 1 {
		return nil, errorAt(start, "invalid number: leading zero")
	}
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return nil, errorAt(r.i, "invalid number: expected a digit after '.'")
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, errorAt(r.i, "invalid number: expected a digit in the exponent")
		}
	}
	lit := r.s[start:r.i]
	key := lit
	if q, ok := ratOf(lit); ok {
		key = q.RatString()
	}
	return &Value{kind: Number, doc: r.doc, off: start, text: lit, num: key, hash: hashString('d', key)}, nil
}

func (r *reader) str() (string, error) {
	start := r.i
	r.i++ // opening quote
	var b strings.Builder
	plain := r.i
	for {
		if r.i >= len(r.s) {
			return "", errorAt(start, "unterminated string")
		}
		c := r.s[r.i]
		switch {
		case c == '"':
			b.WriteString(r.s[plain:r.i])
			r.i++
			return b.String(), nil
		case c == '\\':
			b.WriteString(r.s[plain:r.i])
			if err := r.escape(&b); err != nil {
				return "", err
			}
			plain = r.i
		case c < 0x20:
			return "", errorAt(r.i, "control character %U in string", c)
		case c >= utf8.RuneSelf:
			ch, size := utf8.DecodeRuneInString(r.s[r.i:])
			if ch == utf8.RuneError && size == 1 {
				return "", errorAt(r.i, "invalid UTF-8 in string")
			}
			r.i += size
		default:
			r.i++
		}
	}
}

func (r *reader) escape(b *strings.Builder) error {
	at := r.i
	r.i++
	if r.i >= len(r.s) {
		return errorAt(at, "unterminated escape")
	}
	c := r.s[r.i]
	r.i++
	switch c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		ch, err := r.hex4(at)
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(ch) {
			if strings.HasPrefix(r.s[r.i:], "\\u") {
				r.i += 2
				lo, err := r.hex4(at)
				if err != nil {
					return err
				}
				ch = utf16.DecodeRune(ch, lo)
			} else {
				ch = utf8.RuneError
			}
		}
		b.WriteRune(ch)
	default:
		return errorAt(at, "invalid escape \\%c", c)
	}
	return nil
}

func (r *reader) hex4(at int) (rune, error) {
	if r.i+4 > len(r.s) {
		return 0, errorAt(at, "invalid \\u escape")
	}
	n, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 32)
	if err != nil {
		return 0, errorAt(at, "invalid \\u escape")
	}
	r.i += 4
	return rune(n), nil
}

// write renders v compactly; sorted orders object members by key. It
// ticks st once per value.
func write(b *strings.Builder, v *Value, sorted bool, st *stop.Stopper) {
	st.Tick()
	switch v.kind {
	case Null:
		b.WriteString("null")
	case Bool:
		b.WriteString(strconv.FormatBool(v.boolean))
	case Number:
		b.WriteString(v.text)
	case String:
		writeString(b, v.text)
	case Array:
		b.WriteByte('[')
		for i, e := range v.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			write(b, e, sorted, st)
		}
		b.WriteByte(']')
	case Object:
		ms := v.members
		if sorted {
			ms = append([]Member(nil), ms...)
			sort.Slice(ms, func(i, j int) bool { return ms[i].Key < ms[j].Key })
		}
		b.WriteByte('{')
		for i, m := range ms {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.Key)
			b.WriteByte(':')
			write(b, m.Value, sorted, st)
		}
		b.WriteByte('}')
	}
}

// writeString quotes s as Jackson does: only the quote, the backslash and
// control characters are escaped; other characters are written as is.
func writeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// plain converts v to the representation the validation library reads.
func plain(v *Value) any {
	switch v.kind {
	case Null:
		return nil
	case Bool:
		return v.boolean
	case Number:
		return jsonNumber(v.text)
	case String:
		return v.text
	case Array:
		out := make([]any, len(v.elems))
		for i, e := range v.elems {
			out[i] = plain(e)
		}
		return out
	}
	out := make(map[string]any, len(v.members))
	for _, m := range v.members {
		out[m.Key] = plain(m.Value)
	}
	return out
}

// External reports whether v belongs to a referenced schema rather than to
// the text given to Parse.
func (v *Value) External() bool { return v != nil && v.doc != 0 }
