package avro

import "strings"

// node is one occurrence of a type in schema text, as resolved by the
// builder. A named type is defined by exactly one node; other occurrences
// are references (ref != nil) to it.
type node struct {
	kind string // a primitive name, or record, error, enum, fixed, array, map, union
	src  *jvalue

	// Named types.
	name    string // unqualified name
	space   string // namespace, "" for none
	aliases []string
	doc     *string
	// external marks a type defined by a dependency (a Confluent reference).
	external bool

	fields      []*field
	symbols     []string
	enumDefault *string
	size        int
	items       *node // array
	values      *node // map
	branches    []*node

	// props are the custom properties (logicalType included), in source
	// order.
	props []jmember

	// ref is the definition a name reference points to.
	ref *node
}

// field is a record field.
type field struct {
	name    string
	aliases []string
	doc     *string
	typ     *node
	def     *jvalue // nil when the field has no default
	order   string  // "" means ascending
	props   []jmember
	src     *jvalue
}

// fullName returns the namespace-qualified name of a named type.
func (n *node) fullName() string { return qualify(n.name, n.space) }

// named reports whether n defines a named type.
func (n *node) named() bool {
	switch n.kind {
	case "record", "error", "enum", "fixed":
		return true
	}
	return false
}

// deref returns the definition n refers to, or n itself.
func (n *node) deref() *node {
	if n.ref != nil {
		return n.ref
	}
	return n
}

// prop returns the custom property key, or nil.
func (n *node) prop(key string) *jvalue {
	for _, m := range n.props {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

func qualify(name, space string) string {
	if space == "" {
		return name
	}
	return space + "." + name
}

// relativeName is how Avro Java writes a reference to full name within
// namespace ns: the short name when the namespaces agree and the short name
// is not also a type keyword.
func relativeName(full, ns string) string {
	i := strings.LastIndexByte(full, '.')
	if i < 0 {
		return full
	}
	space, name := full[:i], full[i+1:]
	if space == ns && !isPrimitive(name) && !isComplexKeyword(name) {
		return name
	}
	return full
}

var primitives = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true,
	"float": true, "double": true, "bytes": true, "string": true,
}

func isPrimitive(s string) bool { return primitives[s] }

func isComplexKeyword(s string) bool {
	switch s {
	case "record", "error", "enum", "fixed", "array", "map", "union":
		return true
	}
	return false
}

// Reserved attribute names: these are read by the parser and never kept
// as custom properties (Avro Java's SCHEMA_RESERVED and FIELD_RESERVED).
var (
	schemaReserved = map[string]bool{
		"type": true, "name": true, "namespace": true, "doc": true, "aliases": true,
		"fields": true, "symbols": true, "items": true, "values": true, "size": true, "default": true,
	}
	fieldReserved = map[string]bool{
		"name": true, "type": true, "doc": true, "default": true, "order": true, "aliases": true,
	}
)

// validName reports whether s is a valid Avro name: [A-Za-z_][A-Za-z0-9_]*.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// validFullName reports whether s is a dot-separated sequence of names.
func validFullName(s string) bool {
	for part := range strings.SplitSeq(s, ".") {
		if !validName(part) {
			return false
		}
	}
	return true
}

// simpleName returns the part of a full name after its last dot.
func simpleName(full string) string {
	return full[strings.LastIndexByte(full, '.')+1:]
}
