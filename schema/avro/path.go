package avro

import (
	"strings"

	hamba "github.com/hamba/avro/v2"
)

// FieldPath returns the path of field name inside the record at parent.
// The path notation is described in the package documentation.
func FieldPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// SymbolPath returns the path of an enum symbol of the enum at parent.
func SymbolPath(parent, symbol string) string { return FieldPath(parent, symbol) }

// ItemsPath returns the path of the item type of the array at parent.
func ItemsPath(parent string) string { return parent + "[]" }

// ValuesPath returns the path of the value type of the map at parent.
func ValuesPath(parent string) string { return parent + "{}" }

// BranchPath returns the path of the union branch labelled label (see
// BranchLabel) of the union at parent.
func BranchPath(parent, label string) string { return parent + "<" + label + ">" }

// BranchLabel returns the label that names s as a union branch in paths:
// the unqualified name of a named type, otherwise its type name.
func BranchLabel(s hamba.Schema) string {
	if r, ok := s.(*hamba.RefSchema); ok {
		s = r.Schema()
	}
	if n, ok := s.(hamba.NamedSchema); ok {
		return n.Name()
	}
	return string(s.Type())
}

// RootPath returns the path of the root type s: its unqualified name when
// it is a named type, otherwise the empty path.
func RootPath(s hamba.Schema) string {
	if r, ok := s.(*hamba.RefSchema); ok {
		s = r.Schema()
	}
	if n, ok := s.(hamba.NamedSchema); ok {
		return n.Name()
	}
	return ""
}

// labelOf returns the branch label of a union element in the JSON, before
// it is built: names resolve to their unqualified part.
func labelOf(v *jvalue) string {
	switch v.kind {
	case jString:
		return simpleName(v.text)
	case jObject:
		t := v.get("type")
		if t == nil || t.kind != jString {
			return "?"
		}
		switch t.text {
		case "record", "error", "enum", "fixed":
			if n := v.get("name"); n != nil && n.kind == jString {
				return simpleName(n.text)
			}
			return "?"
		}
		return simpleName(t.text)
	case jArray:
		return "union"
	}
	return strings.TrimPrefix(v.kind.String(), "a ")
}
