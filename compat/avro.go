package compat

import (
	"fmt"
	"strings"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
)

// avroChecker applies the Avro rules: schema resolution (avro_resolve.go)
// for the compatibility levels, the additive-only policy
// (avro_additive.go) and the structured diff (avro_diff.go). The latter two
// share one pairing of old and new elements (avro_pair.go).
type avroChecker struct{}

// compare resolves, per the specification, the reader against the writer:
// for DirBackward the new schema reads data written with old, for
// DirForward old reads data written with the new schema.
func (avroChecker) compare(st *stopper, old Version, new schema.Schema, dir Direction) []Finding {
	o, n := asAvro(old.Schema), asAvro(new)
	if o == nil || n == nil || o.Root() == nil || n.Root() == nil {
		return nil
	}
	r := &avroResolver{st: st, dir: dir, version: old.Version, old: o, new: n}
	reader, writer := n.Root(), o.Root()
	if dir == DirForward {
		reader, writer = writer, reader
	}
	r.rp.push(segRoot, avro.RootPath(reader))
	r.wp.push(segRoot, avro.RootPath(writer))
	r.resolve(reader, writer)
	return r.out
}

func (avroChecker) additive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding {
	return avroAdditive(st, history, new, p)
}

func (avroChecker) diff(st *stopper, old, new schema.Schema) []Change {
	o, n := asAvro(old), asAvro(new)
	if o == nil || n == nil || o.Root() == nil || n.Root() == nil {
		return nil
	}
	return avroDiff(st, o, n)
}

func asAvro(s schema.Schema) *avro.Schema {
	a, _ := s.(*avro.Schema)
	return a
}

// deref returns the type a named reference stands for. A reference always
// stands for the named type itself, never for another reference, so one
// step is enough.
func deref(s hamba.Schema) hamba.Schema {
	if r, ok := s.(*hamba.RefSchema); ok {
		return r.Schema()
	}
	return s
}

// typeKey identifies a type for pairing union branches: the full name of a
// named type, otherwise the type name. A union holds each key once.
func typeKey(s hamba.Schema) string {
	s = deref(s)
	if n, ok := s.(hamba.NamedSchema); ok {
		return n.FullName()
	}
	return string(s.Type())
}

// typeDesc describes a type briefly for messages: "string",
// "record shop.Order", "array<int>", "[null, string]",
// "bytes (decimal 10,2)".
func typeDesc(s hamba.Schema) string {
	s = deref(s)
	switch t := s.(type) {
	case *hamba.RecordSchema:
		return "record " + t.FullName()
	case *hamba.EnumSchema:
		return "enum " + t.FullName()
	case *hamba.FixedSchema:
		return fmt.Sprintf("fixed %s (%d bytes%s)", t.FullName(), t.Size(), logicalDesc(t.Logical(), ", "))
	case *hamba.ArraySchema:
		return "array<" + typeDesc(t.Items()) + ">"
	case *hamba.MapSchema:
		return "map<" + typeDesc(t.Values()) + ">"
	case *hamba.UnionSchema:
		parts := make([]string, len(t.Types()))
		for i, b := range t.Types() {
			parts[i] = typeDesc(b)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *hamba.PrimitiveSchema:
		if l := logicalDesc(t.Logical(), ""); l != "" {
			return string(t.Type()) + " (" + l + ")"
		}
	}
	return string(s.Type())
}

func logicalDesc(l hamba.LogicalSchema, sep string) string {
	if l == nil {
		return ""
	}
	if d, ok := l.(*hamba.DecimalLogicalSchema); ok {
		return fmt.Sprintf("%sdecimal %d,%d", sep, d.Precision(), d.Scale())
	}
	return sep + string(l.Type())
}

// decimalOf returns the decimal logical type of s, if it has one.
func decimalOf(s hamba.Schema) *hamba.DecimalLogicalSchema {
	var l hamba.LogicalSchema
	switch t := deref(s).(type) {
	case *hamba.PrimitiveSchema:
		l = t.Logical()
	case *hamba.FixedSchema:
		l = t.Logical()
	}
	d, _ := l.(*hamba.DecimalLogicalSchema)
	return d
}

// namedKind is the element kind of a named type: record, enum or fixed.
func namedKind(s hamba.Schema) string {
	switch deref(s).(type) {
	case *hamba.RecordSchema:
		return "record"
	case *hamba.EnumSchema:
		return "enum"
	case *hamba.FixedSchema:
		return "fixed"
	}
	return "type"
}

// quoteList renders names as `a`, `b`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}
