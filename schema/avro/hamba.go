package avro

import (
	"math"
	"strings"

	hamba "github.com/hamba/avro/v2"
	jsoniter "github.com/json-iterator/go"
)

// hambaDirect builds the hamba form of a schema text without
// dependencies, as hamba.Parse would, or reports false when the text uses
// a form it leaves to hamba.Parse.
//
// hamba.Parse decodes every JSON object through mapstructure, which took
// most of the CPU of a registration (each one parses the subject's stored
// versions for the compatibility check). This path reads the same decoded
// JSON directly and calls the same constructors in the same order, so its
// result is the one hamba.Parse gives. It covers the forms schemas are
// written in and declines the rest, where mapstructure's own conversions
// would apply: a key differing from an attribute name only in case, a
// null or mistyped attribute, a non-integral size, precision or scale.
// It also declines whatever hamba.Parse would refuse, so that errors keep
// hamba's wording. TestHambaDirectMatchesParse and FuzzHambaDirect hold it
// to that. hamba's constructors panic on some inputs (an empty union with
// a default): those are declined too, for hamba.Parse to fail on.
func hambaDirect(text string) (_ hamba.Schema, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var v any
	if err := jsoniter.Unmarshal([]byte(text), &v); err != nil {
		return nil, false
	}
	d := direct{names: map[string]hamba.Schema{}, seen: map[string]bool{}}
	s, ok := d.typ("", v)
	if !ok {
		return nil, false
	}
	return s, true
}

// direct is one hambaDirect build: names resolves named types (their
// full names and aliases) as hamba's cache does; seen holds the full names
// defined, each at most once.
type direct struct {
	names map[string]hamba.Schema
	seen  map[string]bool
}

func (d *direct) typ(ns string, v any) (hamba.Schema, bool) {
	switch v := v.(type) {
	case nil:
		return &hamba.NullSchema{}, true
	case string:
		return d.named(ns, v)
	case map[string]any:
		return d.object(ns, v)
	case []any:
		return d.union(ns, v)
	}
	return nil, false
}

func (d *direct) named(ns, name string) (hamba.Schema, bool) {
	switch t := hamba.Type(name); t {
	case hamba.Null:
		return &hamba.NullSchema{}, true
	case hamba.String, hamba.Bytes, hamba.Int, hamba.Long, hamba.Float, hamba.Double, hamba.Boolean:
		return hamba.NewPrimitiveSchema(t, nil), true
	}
	full := name
	if ns != "" && !strings.Contains(name, ".") {
		full = ns + "." + name
	}
	s, ok := d.names[full]
	if named, isNamed := s.(hamba.NamedSchema); isNamed {
		// An enum or fixed type named by an alias: hamba's result
		// refers to it, as to any type defined earlier.
		return hamba.NewRefSchema(named), true
	}
	return s, ok
}

func (d *direct) object(ns string, m map[string]any) (hamba.Schema, bool) {
	if types, ok := m["type"].([]any); ok {
		return d.union(ns, types)
	}
	name, ok := m["type"].(string)
	if !ok {
		return nil, false
	}
	switch t := hamba.Type(name); t {
	case hamba.String, hamba.Bytes, hamba.Int, hamba.Long, hamba.Float, hamba.Double, hamba.Boolean, hamba.Null:
		return d.primitive(t, m)
	case hamba.Record, hamba.Error:
		return d.record(t, ns, m)
	case hamba.Enum:
		return d.enum(ns, m)
	case hamba.Array:
		return d.container(ns, m, "items")
	case hamba.Map:
		return d.container(ns, m, "values")
	case hamba.Fixed:
		return d.fixed(ns, m)
	}
	return d.named(ns, name)
}

// attrs reads the attributes of one object as a hamba schema struct
// declares them (known), its other members being the props. ok turns
// false, declining the object, at the first attribute of another kind
// than the struct's field (or null), and for a member whose key matches
// an attribute only without regard to case, which mapstructure would
// take as that attribute.
type attrs struct {
	m     map[string]any
	props map[string]any
	ok    bool
}

func readAttrs(m map[string]any, known ...string) attrs {
	a := attrs{m: m, props: map[string]any{}, ok: true}
	for k, v := range m {
		exact, folded := false, false
		for _, name := range known {
			if k == name {
				exact = true
				break
			}
			folded = folded || strings.EqualFold(k, name)
		}
		switch {
		case folded:
			a.ok = false
		case !exact:
			a.props[k] = v
		}
	}
	return a
}

// str reads an optional string attribute.
func (a *attrs) str(key string) string {
	v, present := a.m[key]
	if !present {
		return ""
	}
	s, ok := v.(string)
	a.ok = a.ok && ok
	return s
}

// strs reads an optional array-of-strings attribute.
func (a *attrs) strs(key string) []string {
	v, present := a.m[key]
	if !present {
		return nil
	}
	arr, ok := v.([]any)
	out := make([]string, len(arr))
	for i, e := range arr {
		var isString bool
		out[i], isString = e.(string)
		ok = ok && isString
	}
	a.ok = a.ok && ok
	return out
}

// integral reads an optional attribute holding an integer.
func (a *attrs) integral(key string) (n int, present bool) {
	v, present := a.m[key]
	if !present {
		return 0, false
	}
	f, ok := v.(float64)
	a.ok = a.ok && ok && f == math.Trunc(f) && math.Abs(f) <= 1<<31
	return int(f), true
}

// named reads the name, namespace and aliases of a named type, the
// namespace defaulting to the enclosing one as hamba has it.
func (a *attrs) named(ns string) (name, space string, aliases []string) {
	name, space, aliases = a.str("name"), a.str("namespace"), a.strs("aliases")
	a.ok = a.ok && name != ""
	if space == "" {
		space = ns
	}
	return name, space, aliases
}

// define records a named type: its full name once, it and its aliases
// for references (records by a reference schema, enums and fixed types by
// reference under their full name and themselves under aliases, as hamba
// has them).
func (d *direct) define(s hamba.NamedSchema, aliasTarget hamba.Schema) bool {
	full := s.FullName()
	if d.seen[full] {
		return false
	}
	d.seen[full] = true
	d.names[full] = hamba.NewRefSchema(s)
	for _, a := range s.Aliases() {
		d.names[a] = aliasTarget
	}
	return true
}

func (d *direct) primitive(t hamba.Type, m map[string]any) (hamba.Schema, bool) {
	a := readAttrs(m, "type")
	if !a.ok {
		return nil, false
	}
	var logical hamba.LogicalSchema
	if lt, isString := a.props["logicalType"].(string); isString && lt != "" {
		var ok bool
		if logical, ok = primitiveLogical(t, hamba.LogicalType(lt), a.props); !ok {
			return nil, false
		}
		if logical != nil {
			delete(a.props, "logicalType")
		}
	}
	if t == hamba.Null {
		return hamba.NewNullSchema(hamba.WithProps(a.props)), true
	}
	return hamba.NewPrimitiveSchema(t, logical, hamba.WithProps(a.props)), true
}

func primitiveLogical(t hamba.Type, lt hamba.LogicalType, props map[string]any) (hamba.LogicalSchema, bool) {
	switch {
	case t == hamba.String && lt == hamba.UUID,
		t == hamba.Int && (lt == hamba.Date || lt == hamba.TimeMillis),
		t == hamba.Long && (lt == hamba.TimeMicros || lt == hamba.TimestampMillis || lt == hamba.TimestampMicros ||
			lt == hamba.LocalTimestampMillis || lt == hamba.LocalTimestampMicros):
		return hamba.NewPrimitiveLogicalSchema(lt), true
	case t == hamba.Bytes && lt == hamba.Decimal:
		return decimal(-1, props)
	}
	return nil, true
}

// decimal is hamba's decimal logical type of a bytes (size -1) or fixed
// type: nil when the precision or scale do not allow one, consuming both
// from props when they do.
func decimal(size int, props map[string]any) (hamba.LogicalSchema, bool) {
	a := readAttrs(props, "precision", "scale")
	prec, _ := a.integral("precision")
	scale, _ := a.integral("scale")
	switch {
	case !a.ok:
		return nil, false
	case prec <= 0 || scale < 0 || scale > prec:
		return nil, true
	case size > 0 && prec > int(math.Floor(math.Log10(math.Pow(2, 8*float64(size))-1))):
		return nil, true
	}
	delete(props, "precision")
	delete(props, "scale")
	return hamba.NewDecimalLogicalSchema(prec, scale), true
}

func (d *direct) record(t hamba.Type, ns string, m map[string]any) (hamba.Schema, bool) {
	a := readAttrs(m, "type", "name", "namespace", "aliases", "doc", "fields")
	name, space, aliases := a.named(ns)
	doc := a.str("doc")
	raw, isArray := m["fields"].([]any)
	if !a.ok || !isArray {
		return nil, false
	}
	fields := make([]*hamba.Field, len(raw))
	opts := []hamba.SchemaOption{hamba.WithAliases(aliases), hamba.WithDoc(doc), hamba.WithProps(a.props)}
	var rec *hamba.RecordSchema
	var err error
	if t == hamba.Error {
		rec, err = hamba.NewErrorRecordSchema(name, space, fields, opts...)
	} else {
		rec, err = hamba.NewRecordSchema(name, space, fields, opts...)
	}
	if err != nil {
		return nil, false
	}
	ref := hamba.NewRefSchema(rec)
	if !d.define(rec, ref) {
		return nil, false
	}
	names := make(map[string]bool, len(raw))
	for i, f := range raw {
		fm, ok := f.(map[string]any)
		if !ok {
			return nil, false
		}
		if fields[i], ok = d.field(rec.Namespace(), fm); !ok || names[fields[i].Name()] {
			return nil, false
		}
		names[fields[i].Name()] = true
	}
	return rec, true
}

func (d *direct) field(ns string, m map[string]any) (*hamba.Field, bool) {
	a := readAttrs(m, "name", "aliases", "type", "doc", "default", "order")
	name, aliases, doc, order := a.str("name"), a.strs("aliases"), a.str("doc"), a.str("order")
	rawType, present := m["type"]
	if !a.ok || name == "" || !present {
		return nil, false
	}
	typ, ok := d.typ(ns, rawType)
	if !ok {
		return nil, false
	}
	def, present := m["default"]
	if !present {
		def = hamba.NoDefault
	}
	f, err := hamba.NewField(name, typ, hamba.WithDefault(def), hamba.WithAliases(aliases),
		hamba.WithDoc(doc), hamba.WithOrder(hamba.Order(order)), hamba.WithProps(a.props))
	return f, err == nil
}

func (d *direct) enum(ns string, m map[string]any) (hamba.Schema, bool) {
	a := readAttrs(m, "name", "namespace", "aliases", "type", "doc", "symbols", "default")
	name, space, aliases := a.named(ns)
	doc, symbols, def := a.str("doc"), a.strs("symbols"), a.str("default")
	if !a.ok {
		return nil, false
	}
	e, err := hamba.NewEnumSchema(name, space, symbols,
		hamba.WithDefault(def), hamba.WithAliases(aliases), hamba.WithDoc(doc), hamba.WithProps(a.props))
	if err != nil || !d.define(e, e) {
		return nil, false
	}
	return e, true
}

// container is an array (key "items") or a map (key "values").
func (d *direct) container(ns string, m map[string]any, key string) (hamba.Schema, bool) {
	a := readAttrs(m, "type", key)
	raw, present := m[key]
	if !a.ok || !present {
		return nil, false
	}
	inner, ok := d.typ(ns, raw)
	if !ok {
		return nil, false
	}
	if key == "items" {
		return hamba.NewArraySchema(inner, hamba.WithProps(a.props)), true
	}
	return hamba.NewMapSchema(inner, hamba.WithProps(a.props)), true
}

func (d *direct) union(ns string, v []any) (hamba.Schema, bool) {
	types := make([]hamba.Schema, len(v))
	for i, e := range v {
		var ok bool
		if types[i], ok = d.typ(ns, e); !ok {
			return nil, false
		}
	}
	u, err := hamba.NewUnionSchema(types)
	return u, err == nil
}

func (d *direct) fixed(ns string, m map[string]any) (hamba.Schema, bool) {
	a := readAttrs(m, "name", "namespace", "aliases", "type", "size")
	name, space, aliases := a.named(ns)
	size, present := a.integral("size")
	if !a.ok || !present {
		return nil, false
	}
	var logical hamba.LogicalSchema
	if lt, isString := a.props["logicalType"].(string); isString && lt != "" {
		switch hamba.LogicalType(lt) {
		case hamba.Duration:
			if size == 12 {
				logical = hamba.NewPrimitiveLogicalSchema(hamba.Duration)
			}
		case hamba.Decimal:
			var ok bool
			if logical, ok = decimal(size, a.props); !ok {
				return nil, false
			}
		}
		if logical != nil {
			delete(a.props, "logicalType")
		}
	}
	f, err := hamba.NewFixedSchema(name, space, size, logical, hamba.WithAliases(aliases), hamba.WithProps(a.props))
	if err != nil || !d.define(f, f) {
		return nil, false
	}
	return f, true
}
