package compat

import (
	"strings"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// positioned is implemented by the format packages' schemas: it locates a
// schema path in the schema text.
type positioned interface {
	Pos(path string) schema.Position
}

// posOf locates path in s, or returns the zero Position.
func posOf(s schema.Schema, path string) schema.Position {
	if s == nil || path == "" {
		return schema.Position{}
	}
	if p, ok := s.(positioned); ok {
		return p.Pos(path)
	}
	return schema.Position{}
}

// HasPath reports whether s has an element (a field, type, enum symbol,
// Protobuf message, enum or enum value) at the schema path. The empty path
// names the whole schema and is always present.
func HasPath(s schema.Schema, path string) bool {
	if path == "" {
		return true
	}
	switch s := s.(type) {
	case *avro.Schema:
		_, ok := indexAvro(s)[path]
		return ok
	case *protobuf.Schema:
		_, ok := indexProto(s).elems[path]
		return ok
	case *js.Schema:
		return s.HasSubschema(jsonPointer(path))
	}
	return false
}

// ResolvePath turns a field path as a consumer declares it into the
// schema path used by findings and deprecations, resolving it against s.
//
// Avro paths may leave out the root record's name ("price" for
// "Order.price"). Protobuf paths may be full names ("shop.v1.Order.price")
// or, when message is set, relative to that message and may cross
// message-typed fields ("customer.email" under shop.v1.Order resolves to
// "shop.v1.Customer.email"). JSON Schema paths are field paths
// ("customer.email", "items[].sku") or JSON Pointers, and resolve, through
// "$ref", to the JSON Pointer where the element is written
// ("/$defs/Address/properties/zip" for "home.zip" when home refers to
// Address). A path s does not have is returned unchanged.
func ResolvePath(s schema.Schema, message, path string) string {
	switch s := s.(type) {
	case *avro.Schema:
		idx := indexAvro(s)
		if _, ok := idx[path]; ok {
			return path
		}
		if root := avro.RootPath(s.Root()); root != "" {
			if p := avro.FieldPath(root, path); idx[p] != nil {
				return p
			}
		}
	case *protobuf.Schema:
		if p, ok := indexProto(s).resolve(message, path); ok {
			return p
		}
	case *js.Schema:
		if p, ok := jsonResolvePath(s, path); ok {
			return p
		}
	}
	return path
}

// Reads reports whether the consumer reads the element at path of s, the
// subject's schema: a field-path consumer when one of its fields is the
// element, lies inside it or contains it; a reader-schema consumer when its
// reader has the element. The empty path (a whole subject or version) is
// read by every consumer of the subject.
func (r ConsumerReader) Reads(s schema.Schema, path string) bool {
	if path == "" {
		return true
	}
	if j, ok := s.(*js.Schema); ok && j != nil {
		return path == "/" || r.jsonReads(j, path)
	}
	if r.Reader != nil {
		return HasPath(r.Reader, path)
	}
	for _, f := range r.Fields {
		p := f
		if s != nil {
			p = ResolvePath(s, r.Message, f)
		}
		if PathsOverlap(p, path) {
			return true
		}
	}
	return false
}

// PathsOverlap reports whether one schema path equals the other or names
// an element inside it ("Order.customer" and "Order.customer.email",
// "Order.items" and "Order.items[].sku", "/properties/a" and
// "/properties/a/properties/b").
func PathsOverlap(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if !strings.HasPrefix(b, a) {
		return false
	}
	if len(a) == len(b) {
		return true
	}
	switch b[len(a)] {
	case '.', '[', '{', '<', '/':
		return true
	}
	return false
}
