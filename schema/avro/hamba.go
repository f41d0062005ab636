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

// attrs splits an object into the attributes a hamba schema struct
// declares (known) and its other members (the props), declining an
// object with a member whose key matches an attribute only without regard
// to case, which mapstructure would take as that attribute.
func attrs(m map[string]any, known ...string) (map[string]any, bool) {
	props := map[string]any{}
	for k, v := range m {
		exact, folded := false, false
		for _, a := range known {
			if k == a {
				exact = true
				break
			}
			folded = folded || strings.EqualFold(k, a)
		}
		switch {
		case folded:
			return nil, false
		case !exact:
			props[k] = v
		}
	}
	return props, true
}

// str reads an optional string attribute; a null or another kind
// declines.
func str(m map[string]any, key string) (string, bool) {
	v, present := m[key]
	if !present {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

// strs reads an optional array-of-strings attribute.
func strs(m map[string]any, key string) ([]string, bool) {
	v, present := m[key]
	if !present {
		return nil, true
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

// integral reads an optional attribute holding an integer.
func integral(m map[string]any, key string) (n int, present, ok bool) {
	v, present := m[key]
	if !present {
		return 0, false, true
	}
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, true, false
	}
	return int(f), true, true
}

// namedAttrs reads the name and namespace of a named type, the namespace
// defaulting to the enclosing one as hamba has it.
func namedAttrs(ns string, m map[string]any) (name, space string, aliases []string, ok bool) {
	if name, ok = str(m, "name"); !ok || name == "" {
		return "", "", nil, false
	}
	if space, ok = str(m, "namespace"); !ok {
		return "", "", nil, false
	}
	if space == "" {
		space = ns
	}
	aliases, ok = strs(m, "aliases")
	return name, space, aliases, ok
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
	props, ok := attrs(m, "type")
	if !ok {
		return nil, false
	}
	var logical hamba.LogicalSchema
	if lt, isString := props["logicalType"].(string); isString && lt != "" {
		if logical, ok = primitiveLogical(t, hamba.LogicalType(lt), props); !ok {
			return nil, false
		}
		if logical != nil {
			delete(props, "logicalType")
		}
	}
	if t == hamba.Null {
		return hamba.NewNullSchema(hamba.WithProps(props)), true
	}
	return hamba.NewPrimitiveSchema(t, logical, hamba.WithProps(props)), true
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
	if _, ok := attrs(props, "precision", "scale"); !ok {
		return nil, false
	}
	prec, _, ok := integral(props, "precision")
	if !ok {
		return nil, false
	}
	scale, _, ok := integral(props, "scale")
	if !ok {
		return nil, false
	}
	if prec <= 0 || scale < 0 || scale > prec {
		return nil, true
	}
	if size > 0 && prec > int(math.Floor(math.Log10(math.Pow(2, 8*float64(size))-1))) {
		return nil, true
	}
	delete(props, "precision")
	delete(props, "scale")
	return hamba.NewDecimalLogicalSchema(prec, scale), true
}

func (d *direct) record(t hamba.Type, ns string, m map[string]any) (hamba.Schema, bool) {
	props, ok := attrs(m, "type", "name", "namespace", "aliases", "doc", "fields")
	if !ok {
		return nil, false
	}
	name, space, aliases, ok := namedAttrs(ns, m)
	if !ok {
		return nil, false
	}
	doc, ok := str(m, "doc")
	if !ok {
		return nil, false
	}
	raw, ok := m["fields"].([]any)
	if !ok {
		return nil, false
	}
	fields := make([]*hamba.Field, len(raw))
	opts := []hamba.SchemaOption{hamba.WithAliases(aliases), hamba.WithDoc(doc), hamba.WithProps(props)}
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
	props, ok := attrs(m, "name", "aliases", "type", "doc", "default", "order")
	if !ok {
		return nil, false
	}
	name, ok := str(m, "name")
	if !ok || name == "" {
		return nil, false
	}
	aliases, ok := strs(m, "aliases")
	if !ok {
		return nil, false
	}
	doc, ok := str(m, "doc")
	if !ok {
		return nil, false
	}
	order, ok := str(m, "order")
	if !ok {
		return nil, false
	}
	rawType, present := m["type"]
	if !present {
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
		hamba.WithDoc(doc), hamba.WithOrder(hamba.Order(order)), hamba.WithProps(props))
	return f, err == nil
}

func (d *direct) enum(ns string, m map[string]any) (hamba.Schema, bool) {
	props, ok := attrs(m, "name", "namespace", "aliases", "type", "doc", "symbols", "default")
	if !ok {
		return nil, false
	}
	name, space, aliases, ok := namedAttrs(ns, m)
	if !ok {
		return nil, false
	}
	doc, ok := str(m, "doc")
	if !ok {
		return nil, false
	}
	symbols, ok := strs(m, "symbols")
	if !ok {
		return nil, false
	}
	def, ok := str(m, "default")
	if !ok {
		return nil, false
	}
	e, err := hamba.NewEnumSchema(name, space, symbols,
		hamba.WithDefault(def), hamba.WithAliases(aliases), hamba.WithDoc(doc), hamba.WithProps(props))
	if err != nil || !d.define(e, e) {
		return nil, false
	}
	return e, true
}

// container is an array (key "items") or a map (key "values").
func (d *direct) container(ns string, m map[string]any, key string) (hamba.Schema, bool) {
	props, ok := attrs(m, "type", key)
	if !ok {
		return nil, false
	}
	raw, present := m[key]
	if !present {
		return nil, false
	}
	inner, ok := d.typ(ns, raw)
	if !ok {
		return nil, false
	}
	if key == "items" {
		return hamba.NewArraySchema(inner, hamba.WithProps(props)), true
	}
	return hamba.NewMapSchema(inner, hamba.WithProps(props)), true
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
	props, ok := attrs(m, "name", "namespace", "aliases", "type", "size")
	if !ok {
		return nil, false
	}
	name, space, aliases, ok := namedAttrs(ns, m)
	if !ok {
		return nil, false
	}
	size, present, ok := integral(m, "size")
	if !ok || !present {
		return nil, false
	}
	var logical hamba.LogicalSchema
	if lt, isString := props["logicalType"].(string); isString && lt != "" {
		switch hamba.LogicalType(lt) {
		case hamba.Duration:
			if size == 12 {
				logical = hamba.NewPrimitiveLogicalSchema(hamba.Duration)
			}
		case hamba.Decimal:
			if logical, ok = decimal(size, props); !ok {
				return nil, false
			}
		}
		if logical != nil {
			delete(props, "logicalType")
		}
	}
	f, err := hamba.NewFixedSchema(name, space, size, logical, hamba.WithAliases(aliases), hamba.WithProps(props))
	if err != nil || !d.define(f, f) {
		return nil, false
	}
	return f, true
}
