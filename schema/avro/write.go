package avro

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// form selects one of the three renderings of a schema.
type form uint8

const (
	// formText is Avro Java's Schema.toString(): compact, attributes in
	// Java's order, names relative to the enclosing namespace, custom
	// properties in source order, referenced types written by name.
	formText form = iota
	// formNormalized is formText with every name written in full, no
	// "namespace" attributes, and custom properties sorted by key.
	formNormalized
	// formCanonical is the specification's Parsing Canonical Form:
	// only name, type, fields, symbols, items, values and size survive,
	// in that order; referenced types are written out where first used.
	formCanonical
)

type writer struct {
	st   *stop.Stopper // ticked once per type
	b    strings.Builder
	form form
	// written holds the named types already written out in full.
	written map[*node]bool
	// inline writes a type from a referenced schema out in full where
	// it is first used, as formCanonical always does.
	inline bool
}

func render(st *stop.Stopper, root *node, f form) string {
	w := &writer{st: st, form: f, written: map[*node]bool{}}
	w.typ(root, "")
	return w.b.String()
}

// renderResolved is formText with the types of referenced schemas
// written out where first used: a self-contained schema, Confluent's
// format=resolved.
func renderResolved(st *stop.Stopper, root *node) string {
	w := &writer{st: st, form: formText, written: map[*node]bool{}, inline: true}
	w.typ(root, "")
	return w.b.String()
}

func (w *writer) str(s string) { writeString(&w.b, s) }

// list writes a JSON array of n elements, element i written by elem.
func (w *writer) list(n int, elem func(i int)) {
	w.b.WriteByte('[')
	for i := range n {
		if i > 0 {
			w.b.WriteByte(',')
		}
		elem(i)
	}
	w.b.WriteByte(']')
}

func (w *writer) key(k string, first *bool) {
	if !*first {
		w.b.WriteByte(',')
	}
	*first = false
	w.str(k)
	w.b.WriteByte(':')
}

// typ writes n inside a definition whose namespace is ns.
func (w *writer) typ(n *node, ns string) {
	w.st.Tick()
	def := n.deref()
	if n.ref != nil || (def.named() && w.written[def]) {
		if (w.form == formCanonical || w.inline) && !w.written[def] {
			w.typ(def, ns) // a type from a referenced schema, written where first used
			return
		}
		if w.form == formText {
			w.str(relativeName(def.fullName(), ns))
		} else {
			w.str(def.fullName())
		}
		return
	}
	switch n.kind {
	case "union":
		w.list(len(n.branches), func(i int) { w.typ(n.branches[i], ns) })
		return
	case "record", "error", "enum", "fixed":
		w.written[n] = true
		w.namedType(n, ns)
		return
	case "array", "map":
		w.container(n, ns)
		return
	}
	if w.form == formCanonical || len(n.props) == 0 {
		w.str(n.kind)
		return
	}
	w.b.WriteString(`{"type":`)
	w.str(n.kind)
	first := false
	w.props(n.props, &first)
	w.b.WriteByte('}')
}

func (w *writer) container(n *node, ns string) {
	w.b.WriteString(`{"type":`)
	w.str(n.kind)
	if n.kind == "array" {
		w.b.WriteString(`,"items":`)
		w.typ(n.items, ns)
	} else {
		w.b.WriteString(`,"values":`)
		w.typ(n.values, ns)
	}
	if w.form != formCanonical {
		first := false
		w.props(n.props, &first)
	}
	w.b.WriteByte('}')
}

func (w *writer) namedType(n *node, ns string) {
	first := true
	w.b.WriteByte('{')
	if w.form == formCanonical {
		w.key("name", &first)
		w.str(n.fullName())
		w.key("type", &first)
		w.str(n.kind)
	} else {
		w.key("type", &first)
		w.str(n.kind)
		w.key("name", &first)
		if w.form == formText {
			w.str(n.name)
			if n.space != ns {
				w.key("namespace", &first)
				w.str(n.space)
			}
		} else {
			w.str(n.fullName())
			if n.space == "" && ns != "" {
				// Without it the name would resolve in the enclosing
				// namespace.
				w.key("namespace", &first)
				w.str("")
			}
		}
		if n.doc != nil {
			w.key("doc", &first)
			w.str(*n.doc)
		}
		if w.form == formNormalized {
			w.aliases(n.aliases, "", &first, false)
		}
	}
	switch n.kind {
	case "record", "error":
		w.key("fields", &first)
		w.list(len(n.fields), func(i int) { w.field(n.fields[i], n.space) })
	case "enum":
		w.key("symbols", &first)
		w.list(len(n.symbols), func(i int) { w.str(n.symbols[i]) })
		if n.enumDefault != nil && w.form != formCanonical {
			w.key("default", &first)
			w.str(*n.enumDefault)
		}
	case "fixed":
		w.key("size", &first)
		w.b.WriteString(strconv.Itoa(n.size))
	}
	if w.form != formCanonical {
		w.props(n.props, &first)
	}
	if w.form == formText {
		w.aliases(n.aliases, n.space, &first, true)
	}
	w.b.WriteByte('}')
}

// aliases writes named-type aliases: relative to the type's namespace in
// text form (as Avro Java does), in full otherwise.
func (w *writer) aliases(as []string, space string, first *bool, relative bool) {
	if len(as) == 0 {
		return
	}
	w.key("aliases", first)
	w.list(len(as), func(i int) {
		if relative {
			w.str(relativeName(as[i], space))
			return
		}
		w.str(as[i])
	})
}

// field writes a record field inside a definition whose namespace is ns.
func (w *writer) field(f *field, ns string) {
	first := true
	w.b.WriteByte('{')
	w.key("name", &first)
	w.str(f.name)
	w.key("type", &first)
	w.typ(f.typ, ns)
	if w.form != formCanonical {
		if f.doc != nil {
			w.key("doc", &first)
			w.str(*f.doc)
		}
		if f.def != nil {
			w.key("default", &first)
			w.value(f.def, false)
		}
		if f.order != "" {
			w.key("order", &first)
			w.str(f.order)
		}
		w.aliases(f.aliases, "", &first, false)
		w.props(f.props, &first)
	}
	w.b.WriteByte('}')
}

// props writes custom properties: in source order as text, sorted by key
// when normalized.
func (w *writer) props(ps []jmember, first *bool) {
	if w.form == formNormalized && len(ps) > 1 {
		ps = append([]jmember(nil), ps...)
		sort.Slice(ps, func(i, j int) bool { return ps[i].key < ps[j].key })
	}
	for _, p := range ps {
		w.key(p.key, first)
		w.value(p.val, w.form == formNormalized)
	}
}

// value writes a JSON value compactly, numbers as Jackson re-serialises
// them (see javaNumber). With sorted, object keys are sorted.
func (w *writer) value(v *jvalue, sorted bool) {
	switch v.kind {
	case jNull:
		w.b.WriteString("null")
	case jBool:
		w.b.WriteString(strconv.FormatBool(v.boolean))
	case jNumber:
		w.b.WriteString(javaNumber(v.text))
	case jString:
		w.str(v.text)
	case jArray:
		w.list(len(v.elems), func(i int) { w.value(v.elems[i], sorted) })
	case jObject:
		ms := v.members
		if sorted && len(ms) > 1 {
			ms = append([]jmember(nil), ms...)
			sort.Slice(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
		}
		w.b.WriteByte('{')
		for i, m := range ms {
			if i > 0 {
				w.b.WriteByte(',')
			}
			w.str(m.key)
			w.b.WriteByte(':')
			w.value(m.val, sorted)
		}
		w.b.WriteByte('}')
	}
}

// javaNumber renders a JSON number literal as Jackson writes the node it
// parses it into: integers as integers (beyond 64 bits, verbatim), and
// numbers with a fraction or exponent as Java's Double.toString does (1.0,
// 0.001, 1.0E7, 1.5E-4).
func javaNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		return lit
	}
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // e.g. -1.5e+07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// writeString writes s as a JSON string the way Jackson does: quote,
// backslash and control characters escaped, everything else as UTF-8.
func writeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		i++
	}
	b.WriteByte('"')
}
