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
	return r.ReadsIn(s)(path)
}

// ReadsIn returns Reads for s as a function of the path. It resolves the
// consumer's fields (or walks its reader schema) once, so that asking
// about many paths, as the additive-only policy does for each element a
// version removes, costs time linear in their number rather than a walk
// of every field for each.
func (r ConsumerReader) ReadsIn(s schema.Schema) func(path string) bool {
	var reads func(string) bool
	switch j, _ := s.(*js.Schema); {
	case j != nil:
		reads = r.jsonReadsIn(j)
	case r.Reader != nil:
		reader := r.Reader
		reads = func(path string) bool { return HasPath(reader, path) }
	default:
		set := newReadSet(pathBounds)
		for _, f := range r.Fields {
			p := f
			if s != nil {
				p = ResolvePath(s, r.Message, f)
			}
			set.add(p)
		}
		reads = set.reads
	}
	return func(path string) bool {
		if path == "" {
			return true
		}
		if _, ok := s.(*js.Schema); ok && path == "/" {
			return true
		}
		return reads(path)
	}
}

// pathBounds are the characters at which PathsOverlap lets one schema
// path enclose another.
const pathBounds = ".[{</"

// readSet answers whether a path overlaps one of the paths a consumer
// reads, in time linear in the path's length: it holds the paths read and
// every path that encloses one of them.
type readSet struct {
	bounds string          // where a path may be cut into an enclosing one
	at     map[string]bool // the paths read: what lies inside them is read
	under  map[string]bool // the paths read and all that enclose them
	all    bool            // the whole schema is read
}

func newReadSet(bounds string) *readSet {
	return &readSet{bounds: bounds, at: map[string]bool{}, under: map[string]bool{}}
}

// add records that p is read, with everything inside it and everything
// that encloses it.
func (r *readSet) add(p string) {
	r.at[p] = true
	r.addEnclosing(p)
}

// addEnclosing records that p and everything enclosing it is read.
func (r *readSet) addEnclosing(p string) {
	r.under[p] = true
	eachEnclosing(p, r.bounds, func(e string) { r.under[e] = true })
}

// reads reports whether path is read: it is, or encloses, a path read,
// or lies inside one.
func (r *readSet) reads(path string) bool {
	if r.all || r.under[path] || r.at[path] {
		return true
	}
	found := false
	eachEnclosing(path, r.bounds, func(e string) { found = found || r.at[e] })
	return found
}

// eachEnclosing calls fn with every proper prefix of p that ends before
// one of the characters of bounds: the paths that enclose p.
func eachEnclosing(p, bounds string, fn func(string)) {
	for i := 1; i < len(p); i++ {
		if strings.IndexByte(bounds, p[i]) >= 0 {
			fn(p[:i])
		}
	}
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
