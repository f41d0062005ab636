package avro

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// builder turns JSON into nodes, resolving names and validating what the
// Avro specification requires. One builder serves a schema and its
// dependencies, so names defined by a dependency resolve in later texts.
type builder struct {
	st    *stop.Stopper // ticked once per type and field
	names map[string]*node
	// external is set while building a dependency.
	external bool
	// index maps schema paths of the main text to byte offsets; nil while
	// building dependencies.
	index map[string]int
	deps  []deprecationAt
	// pending defaults are validated once every type is complete, so that
	// recursive records have their fields.
	pending []pendingDefault
	// skipDefaults turns default validation off (used only to check the
	// specification's canonical-form vectors, one of which has an invalid
	// default).
	skipDefaults bool
	// lenient accepts what Avro Java's parser accepts and this package's
	// own validation refuses (see ParseLenient).
	lenient bool
	// maxDepth and count apply the schema.Limits.
	maxDepth int
	count    *schema.Counter
}

type pendingDefault struct {
	typ *node
	def *jvalue
	// what names the default in errors, e.g. `field "price"`.
	what string
}

// deprecationAt is a deprecation marker before positions are resolved.
type deprecationAt struct {
	schema.Deprecation
	off int
}

func newBuilder(lim schema.Limits) *builder {
	lim = lim.WithDefaults()
	return &builder{names: map[string]*node{}, maxDepth: lim.MaxDepth, count: lim.Counter()}
}

func (b *builder) mark(path string, off int) {
	if b.index == nil {
		return
	}
	if _, ok := b.index[path]; !ok {
		b.index[path] = off
	}
}

// build builds the root type of one text.
func (b *builder) build(v *jvalue) (*node, error) {
	b.pending = b.pending[:0]
	root, err := b.typ(v, "", rootPathOf(v), 0)
	if err != nil {
		return nil, err
	}
	if !b.skipDefaults {
		for _, p := range b.pending {
			if err := checkDefault(p.typ, p.def, b.maxDepth); err != nil {
				err.msg = "invalid default for " + p.what + ": " + err.msg
				return nil, err
			}
		}
	}
	return root, nil
}

func rootPathOf(v *jvalue) string {
	if v.kind != jObject {
		return ""
	}
	if t := v.get("type"); t != nil && t.kind == jString {
		switch t.text {
		case "record", "error", "enum", "fixed":
			if n := v.get("name"); n != nil && n.kind == jString {
				return simpleName(n.text)
			}
		}
	}
	return ""
}

// typ builds the type v at path; ns is the enclosing namespace.
func (b *builder) typ(v *jvalue, ns, path string, depth int) (*node, error) {
	b.st.Tick()
	if depth > b.maxDepth {
		return nil, depthError(v.off, b.maxDepth)
	}
	b.mark(path, v.off)
	switch v.kind {
	case jString:
		return b.named(v, v.text, ns)
	case jArray:
		return b.union(v, ns, path, depth)
	case jObject:
		return b.object(v, ns, path, depth)
	}
	return nil, errorAt(v.off, "a type must be a type name, an object or a union array, not %s", v.kind)
}

// named resolves a type name: a primitive, or a named type defined earlier.
func (b *builder) named(v *jvalue, name, ns string) (*node, error) {
	if isPrimitive(name) {
		return &node{kind: name, src: v}, nil
	}
	full := name
	if !strings.Contains(name, ".") {
		full = qualify(name, ns)
	}
	def, ok := b.names[full]
	if !ok {
		if isComplexKeyword(name) {
			return nil, errorAt(v.off, "%q must be written as an object with a \"type\" attribute", name)
		}
		return nil, errorAt(v.off, "unknown type %q (names must be defined before use)", full)
	}
	return &node{kind: def.kind, src: v, ref: def}, nil
}

func (b *builder) union(v *jvalue, ns, path string, depth int) (*node, error) {
	n := &node{kind: "union", src: v}
	seen := map[string]bool{}
	for _, e := range v.elems {
		if e.kind == jArray {
			return nil, errorAt(e.off, "a union cannot directly contain another union")
		}
		t, err := b.typ(e, ns, BranchPath(path, labelOf(e)), depth+1)
		if err != nil {
			return nil, err
		}
		key := t.kind
		if d := t.deref(); d.named() {
			key = d.fullName()
		}
		if seen[key] {
			return nil, errorAt(e.off, "union contains %s twice (a union may hold each unnamed type once and each named type once)", key)
		}
		seen[key] = true
		n.branches = append(n.branches, t)
	}
	return n, nil
}

func (b *builder) object(v *jvalue, ns, path string, depth int) (*node, error) {
	tv := v.get("type")
	if tv == nil {
		return nil, errorAt(v.off, "a type object needs a \"type\" attribute")
	}
	if tv.kind != jString {
		return nil, errorAt(tv.off, "\"type\" must be a string, not %s (write a union as a bare JSON array)", tv.kind)
	}
	var (
		n   *node
		err error
	)
	switch tv.text {
	case "record", "error":
		n, err = b.record(v, tv.text, ns, path, depth)
	case "enum":
		n, err = b.enum(v, ns, path)
	case "fixed":
		n, err = b.fixed(v, ns, path)
	case "array":
		n = &node{kind: "array", src: v}
		iv := v.get("items")
		if iv == nil {
			return nil, errorAt(v.off, "an array needs an \"items\" attribute")
		}
		n.items, err = b.typ(iv, ns, ItemsPath(path), depth+1)
	case "map":
		n = &node{kind: "map", src: v}
		vv := v.get("values")
		if vv == nil {
			return nil, errorAt(v.off, "a map needs a \"values\" attribute")
		}
		n.values, err = b.typ(vv, ns, ValuesPath(path), depth+1)
	default:
		if isPrimitive(tv.text) {
			n = &node{kind: tv.text, src: v}
			break
		}
		// {"type": "Name"} is a reference written as an object.
		n, err = b.named(tv, tv.text, ns)
		if err == nil {
			n.src = v
		}
		return n, err
	}
	if err != nil {
		return nil, err
	}
	for _, m := range v.members {
		// Reserved attributes are read above or, like "default" on a type
		// other than an enum, ignored as Avro Java ignores them.
		if !schemaReserved[m.key] {
			n.props = append(n.props, m)
		}
	}
	if err := checkLogical(n); err != nil && !b.lenient {
		return nil, err
	}
	return n, nil
}

// define reads the name, namespace, aliases and doc of a named type and
// registers it, before its children are built so they may refer to it.
func (b *builder) define(v *jvalue, kind, ns, path string) (*node, error) {
	if err := b.count.Definitions(1); err != nil {
		return nil, limitAt(v.off, err)
	}
	n := &node{kind: kind, src: v, external: b.external}
	nv := v.get("name")
	if nv == nil || nv.kind != jString {
		return nil, errorAt(v.off, "a %s needs a \"name\" string", kind)
	}
	n.name, n.space = nv.text, ns
	if sv := v.get("namespace"); sv != nil {
		if sv.kind != jString && sv.kind != jNull {
			return nil, errorAt(sv.off, "\"namespace\" must be a string, not %s", sv.kind)
		}
		n.space = sv.text
	}
	if i := strings.LastIndexByte(n.name, '.'); i >= 0 {
		n.space, n.name = n.name[:i], n.name[i+1:]
	}
	if !validName(n.name) {
		return nil, errorAt(nv.off, "invalid name %q: a name starts with a letter or _ and holds only letters, digits and _", nv.text)
	}
	if n.space != "" && !validFullName(n.space) {
		return nil, errorAt(nv.off, "invalid namespace %q: a namespace is a dot-separated sequence of names", n.space)
	}
	full := n.fullName()
	if isPrimitive(full) {
		return nil, errorAt(nv.off, "%q is a primitive type name and cannot be redefined", full)
	}
	if prev, dup := b.names[full]; dup {
		if prev.external {
			return nil, errorAt(nv.off, "type %q is already defined by a referenced schema", full)
		}
		return nil, errorAt(nv.off, "type %q is defined twice", full)
	}
	var err error
	if n.aliases, err = aliases(v, n.space, true); err != nil {
		return nil, err
	}
	if n.doc, err = doc(v); err != nil {
		return nil, err
	}
	if err := b.deprecation(v, kind, path); err != nil && !b.lenient {
		return nil, err
	}
	b.names[full] = n
	return n, nil
}

func aliases(v *jvalue, space string, qualified bool) ([]string, error) {
	av := v.get("aliases")
	if av == nil {
		return nil, nil
	}
	if av.kind != jArray {
		return nil, errorAt(av.off, "\"aliases\" must be an array of names, not %s", av.kind)
	}
	out := make([]string, 0, len(av.elems))
	for _, e := range av.elems {
		if e.kind != jString {
			return nil, errorAt(e.off, "an alias must be a string, not %s", e.kind)
		}
		a := e.text
		switch {
		case !qualified && !validName(a):
			return nil, errorAt(e.off, "invalid field alias %q", a)
		case qualified && !validFullName(a):
			return nil, errorAt(e.off, "invalid alias %q", a)
		case qualified && !strings.Contains(a, "."):
			a = qualify(a, space)
		}
		out = append(out, a)
	}
	return out, nil
}

func doc(v *jvalue) (*string, error) {
	dv := v.get("doc")
	if dv == nil {
		return nil, nil
	}
	if dv.kind != jString {
		return nil, errorAt(dv.off, "\"doc\" must be a string, not %s", dv.kind)
	}
	return &dv.text, nil
}

func (b *builder) record(v *jvalue, kind, ns, path string, depth int) (*node, error) {
	n, err := b.define(v, kind, ns, path)
	if err != nil {
		return nil, err
	}
	fv := v.get("fields")
	if fv == nil || fv.kind != jArray {
		return nil, errorAt(v.off, "a record needs a \"fields\" array")
	}
	if err := b.count.Fields(len(fv.elems)); err != nil {
		return nil, limitAt(fv.off, err)
	}
	seen := map[string]bool{}
	for _, f := range fv.elems {
		fd, err := b.field(f, n.space, path, depth)
		if err != nil {
			return nil, err
		}
		if seen[fd.name] {
			return nil, errorAt(f.off, "record %q has two fields named %q", n.fullName(), fd.name)
		}
		seen[fd.name] = true
		n.fields = append(n.fields, fd)
	}
	return n, nil
}

func (b *builder) field(v *jvalue, ns, parent string, depth int) (*field, error) {
	b.st.Tick()
	if v.kind != jObject {
		return nil, errorAt(v.off, "a field must be an object, not %s", v.kind)
	}
	nv := v.get("name")
	if nv == nil || nv.kind != jString {
		return nil, errorAt(v.off, "a field needs a \"name\" string")
	}
	if !validName(nv.text) {
		return nil, errorAt(nv.off, "invalid field name %q: a name starts with a letter or _ and holds only letters, digits and _", nv.text)
	}
	f := &field{name: nv.text, src: v}
	path := FieldPath(parent, f.name)
	b.mark(path, v.off)
	var err error
	if f.aliases, err = aliases(v, "", false); err != nil {
		return nil, err
	}
	if f.doc, err = doc(v); err != nil {
		return nil, err
	}
	if ov := v.get("order"); ov != nil {
		if ov.kind != jString || (ov.text != "ascending" && ov.text != "descending" && ov.text != "ignore") {
			return nil, errorAt(ov.off, "field %q: \"order\" must be \"ascending\", \"descending\" or \"ignore\"", f.name)
		}
		if ov.text != "ascending" {
			f.order = ov.text
		}
	}
	tv := v.get("type")
	if tv == nil {
		return nil, errorAt(v.off, "field %q needs a \"type\"", f.name)
	}
	if f.typ, err = b.typ(tv, ns, path, depth+1); err != nil {
		return nil, err
	}
	if dv := v.get("default"); dv != nil {
		f.def = dv
		b.pending = append(b.pending, pendingDefault{typ: f.typ, def: dv, what: strconv.Quote(f.name)})
	}
	for _, m := range v.members {
		if !fieldReserved[m.key] {
			f.props = append(f.props, m)
		}
	}
	if err := b.deprecation(v, "field", path); err != nil && !b.lenient {
		return nil, err
	}
	return f, nil
}

func (b *builder) enum(v *jvalue, ns, path string) (*node, error) {
	n, err := b.define(v, "enum", ns, path)
	if err != nil {
		return nil, err
	}
	sv := v.get("symbols")
	if sv == nil || sv.kind != jArray {
		return nil, errorAt(v.off, "enum %q needs a \"symbols\" array", n.fullName())
	}
	if len(sv.elems) == 0 {
		return nil, errorAt(sv.off, "enum %q needs at least one symbol", n.fullName())
	}
	if err := b.count.EnumSymbols(len(sv.elems)); err != nil {
		return nil, limitAt(sv.off, err)
	}
	seen := map[string]bool{}
	for _, e := range sv.elems {
		if e.kind != jString || !validName(e.text) {
			return nil, errorAt(e.off, "enum %q: invalid symbol %s", n.fullName(), describe(e))
		}
		if seen[e.text] {
			return nil, errorAt(e.off, "enum %q lists symbol %q twice", n.fullName(), e.text)
		}
		seen[e.text] = true
		n.symbols = append(n.symbols, e.text)
		b.mark(SymbolPath(path, e.text), e.off)
	}
	if dv := v.get("default"); dv != nil {
		if dv.kind != jString || !seen[dv.text] {
			return nil, errorAt(dv.off, "enum %q: default %s is not one of its symbols", n.fullName(), describe(dv))
		}
		n.enumDefault = &dv.text
	}
	return n, nil
}

func (b *builder) fixed(v *jvalue, ns, path string) (*node, error) {
	n, err := b.define(v, "fixed", ns, path)
	if err != nil {
		return nil, err
	}
	sv := v.get("size")
	if sv == nil {
		return nil, errorAt(v.off, "fixed %q needs a \"size\"", n.fullName())
	}
	size, ok := integer(sv)
	if !ok || size < 0 || size > math.MaxInt32 {
		return nil, errorAt(sv.off, "fixed %q: size must be a non-negative integer, not %s", n.fullName(), describe(sv))
	}
	n.size = int(size)
	return n, nil
}

// checkLogical validates the logical types the specification constrains.
// Other logical types, and logical types on the wrong underlying type, are
// kept as properties and ignored, as Avro Java does.
func checkLogical(n *node) error {
	lt := n.prop("logicalType")
	if lt == nil || lt.kind != jString || lt.text != "decimal" || (n.kind != "bytes" && n.kind != "fixed") {
		return nil
	}
	pv := n.prop("precision")
	if pv == nil {
		return errorAt(lt.off, "decimal needs a \"precision\"")
	}
	prec, ok := integer(pv)
	if !ok || prec <= 0 {
		return errorAt(pv.off, "decimal precision must be a positive integer, not %s", describe(pv))
	}
	if n.kind == "fixed" {
		maxPrec := int64(math.Floor(math.Log10(2) * float64(8*n.size-1)))
		if prec > maxPrec {
			return errorAt(pv.off, "decimal precision %d does not fit in fixed %q of %d bytes (at most %d digits)", prec, n.fullName(), n.size, max(maxPrec, 0))
		}
	}
	if sv := n.prop("scale"); sv != nil {
		scale, ok := integer(sv)
		if !ok || scale < 0 {
			return errorAt(sv.off, "decimal scale must be a non-negative integer, not %s", describe(sv))
		}
		if scale > prec {
			return errorAt(sv.off, "decimal scale %d is greater than its precision %d", scale, prec)
		}
	}
	return nil
}

// deprecation reads the "deprecated" marker of a field or named type.
func (b *builder) deprecation(v *jvalue, kind, path string) error {
	m := v.member("deprecated")
	if m == nil {
		return nil
	}
	if kind == "error" {
		kind = "record"
	}
	d := deprecationAt{Deprecation: schema.Deprecation{Path: path, Kind: kind}, off: m.off}
	dv := m.val
	switch {
	case dv.kind == jBool && dv.boolean:
	case dv.kind == jString:
		d.Reason = dv.text
	case dv.kind == jObject:
		for _, mm := range dv.members {
			if mm.val.kind != jString {
				return errorAt(mm.val.off, "deprecated.%s must be a string, not %s", mm.key, mm.val.kind)
			}
			switch mm.key {
			case "reason":
				d.Reason = mm.val.text
			case "replacement":
				d.Replacement = mm.val.text
			case "sunset":
				t, err := time.Parse(time.DateOnly, mm.val.text)
				if err != nil {
					return errorAt(mm.val.off, "deprecated.sunset must be a date written YYYY-MM-DD, not %q", mm.val.text)
				}
				d.Sunset = t
			default:
				return errorAt(mm.off, "unknown deprecated attribute %q (expected reason, sunset or replacement)", mm.key)
			}
		}
	default:
		return errorAt(dv.off, "\"deprecated\" must be true, a reason string, or an object {\"reason\", \"sunset\", \"replacement\"}, not %s", describe(dv))
	}
	if b.index != nil {
		b.deps = append(b.deps, d)
	}
	return nil
}

// integer returns the value of an integral JSON number.
func integer(v *jvalue) (int64, bool) {
	if v.kind != jNumber {
		return 0, false
	}
	i, err := strconv.ParseInt(v.text, 10, 64)
	return i, err == nil
}

// describe renders a JSON value briefly for error messages.
func describe(v *jvalue) string {
	switch v.kind {
	case jString:
		return strconv.Quote(v.text)
	case jNumber:
		return v.text
	case jBool:
		return strconv.FormatBool(v.boolean)
	case jNull:
		return "null"
	}
	return v.kind.String()
}
