package compat

import (
	"fmt"
	"slices"
	"strings"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
)

// avroElem is the element at one Avro schema path: the type found there,
// and whether the path names an enum symbol rather than a type.
type avroElem struct {
	typ    hamba.Schema
	symbol bool
}

// indexAvro maps every schema path of s (see the schema/avro path
// notation) to its element. Named types are walked where they are first
// defined, so recursive types end. It is built once per schema.
func indexAvro(s *avro.Schema) map[string]*avroElem {
	return avroIndexes.get(s, buildAvroIndex)
}

var avroIndexes schemaMemo[avro.Schema, map[string]*avroElem]

func buildAvroIndex(s *avro.Schema) map[string]*avroElem {
	idx := map[string]*avroElem{}
	root := s.Root()
	rootPath := avro.RootPath(root)
	if rootPath != "" {
		idx[rootPath] = &avroElem{typ: root}
	}
	walkAvro(idx, rootPath, root, map[string]bool{})
	return idx
}

func walkAvro(idx map[string]*avroElem, path string, t hamba.Schema, seen map[string]bool) {
	t = deref(t)
	if n, ok := t.(hamba.NamedSchema); ok {
		if seen[n.FullName()] {
			return
		}
		seen[n.FullName()] = true
	}
	add := func(p string, sub hamba.Schema) {
		if _, dup := idx[p]; !dup {
			idx[p] = &avroElem{typ: sub}
		}
		walkAvro(idx, p, sub, seen)
	}
	switch t := t.(type) {
	case *hamba.RecordSchema:
		for _, f := range t.Fields() {
			add(avro.FieldPath(path, f.Name()), f.Type())
		}
	case *hamba.EnumSchema:
		for _, sym := range t.Symbols() {
			p := avro.SymbolPath(path, sym)
			if _, dup := idx[p]; !dup {
				idx[p] = &avroElem{typ: t, symbol: true}
			}
		}
	case *hamba.ArraySchema:
		add(avro.ItemsPath(path), t.Items())
	case *hamba.MapSchema:
		add(avro.ValuesPath(path), t.Values())
	case *hamba.UnionSchema:
		for _, b := range t.Types() {
			add(avro.BranchPath(path, avro.BranchLabel(b)), b)
		}
	}
}

// checkAvroFields checks a field-path consumer against an Avro writer.
func (c *consumerCheck) checkAvroFields() {
	w, ok := c.req.Writer.(*avro.Schema)
	if !ok {
		return
	}
	widx := indexAvro(w)
	// ref stays a nil interface when there is no reference version.
	var ref schema.Schema
	var ridx map[string]*avroElem
	if r, ok := c.req.Reference.(*avro.Schema); ok && r != nil {
		ref, ridx = r, indexAvro(r)
	}
	for _, declared := range c.req.Consumer.Fields {
		c.st.tick()
		path := declared
		if ref != nil {
			path = ResolvePath(ref, "", declared)
		}
		if _, ok := ridx[path]; !ok {
			path = ResolvePath(w, "", path)
		}
		we, re := widx[path], ridx[path]
		switch {
		case we == nil && re == nil:
			c.report(ruleConsumerFieldUnknown, path, posOf(w, path), schema.Position{},
				"declares that it reads %s, which neither %s nor the version it is compared with has; check the consumer's field list", path, c.req.WriterName)
		case we == nil:
			c.report(ruleConsumerFieldMissing, path, nearestPos(w, path), posOf(ref, path),
				"reads %s, which %s does not have: the consumer would fail or read nothing there", path, c.req.WriterName)
		case re == nil || we.symbol || re.symbol:
			// Present in the writer; nothing to compare the type with.
		case !avroReadable(we.typ, re.typ):
			c.report(ruleConsumerFieldTypeChanged, path, posOf(w, path), posOf(ref, path),
				"reads %s as %s, but %s writes it as %s", path, avroTypeName(re.typ), c.req.WriterName, avroTypeName(we.typ))
		}
	}
}

// avroReadable reports whether data written with type w can be read as
// type r, following the Avro specification's resolution rules one level
// deep: named types match by name as the resolver matches them
// (namesMatch), with fixed sizes equal; arrays and maps by their item and
// value types; primitives allow the specification's promotions; unions
// resolve branch by branch.
// Fields of records are not compared here: each field a consumer reads is
// checked on its own.
func avroReadable(w, r hamba.Schema) bool {
	w, r = deref(w), deref(r)
	if ru, ok := r.(*hamba.UnionSchema); ok {
		if wu, ok := w.(*hamba.UnionSchema); ok {
			for _, wb := range wu.Types() {
				if !slices.ContainsFunc(ru.Types(), func(rb hamba.Schema) bool { return avroReadable(wb, rb) }) {
					return false
				}
			}
			return true
		}
		return slices.ContainsFunc(ru.Types(), func(rb hamba.Schema) bool { return avroReadable(w, rb) })
	}
	if wu, ok := w.(*hamba.UnionSchema); ok {
		for _, wb := range wu.Types() {
			if !avroReadable(wb, r) {
				return false
			}
		}
		return true
	}
	switch r := r.(type) {
	case *hamba.ArraySchema:
		wa, ok := w.(*hamba.ArraySchema)
		return ok && avroReadable(wa.Items(), r.Items())
	case *hamba.MapSchema:
		wm, ok := w.(*hamba.MapSchema)
		return ok && avroReadable(wm.Values(), r.Values())
	case hamba.NamedSchema:
		wn, ok := w.(hamba.NamedSchema)
		if !ok || w.Type() != r.Type() {
			return false
		}
		if !namesMatch(r, wn) {
			return false
		}
		if rf, ok := r.(*hamba.FixedSchema); ok {
			return rf.Size() == w.(*hamba.FixedSchema).Size()
		}
		return true
	}
	return w.Type() == r.Type() || promotes(w.Type(), r.Type())
}

// avroTypeName describes an Avro type in a message.
func avroTypeName(t hamba.Schema) string {
	t = deref(t)
	switch t := t.(type) {
	case hamba.NamedSchema:
		return fmt.Sprintf("%s %s", t.Type(), t.FullName())
	case *hamba.ArraySchema:
		return "array of " + avroTypeName(t.Items())
	case *hamba.MapSchema:
		return "map of " + avroTypeName(t.Values())
	case *hamba.UnionSchema:
		names := make([]string, len(t.Types()))
		for i, b := range t.Types() {
			names[i] = avroTypeName(b)
		}
		return "union [" + strings.Join(names, ", ") + "]"
	case *hamba.PrimitiveSchema:
		if l := t.Logical(); l != nil {
			return fmt.Sprintf("%s (%s)", t.Type(), l.Type())
		}
	}
	return string(t.Type())
}
