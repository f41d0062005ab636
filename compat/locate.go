package compat

import (
	"strings"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// nearestPos locates path in s or, when s has no element there (the
// element was removed, or lives on the other side only), the nearest
// enclosing element s has: the record or message that held it, and so on
// outwards. Failing all, it is the start of the schema: the root type for
// Avro, the package statement for Protobuf. A finding about a removed
// element therefore always points at a line of the new text, where a CI
// annotation can land.
//
// Each step is a lookup in the position index the format package built
// when it parsed s, so the cost depends on the depth of path, never on
// the size of the text.
func nearestPos(s schema.Schema, path string) schema.Position {
	if s == nil {
		return schema.Position{}
	}
	for p := path; p != ""; {
		if pos := posOf(s, p); pos.IsValid() {
			return pos
		}
		var ok bool
		if p, ok = parentPath(s.Format(), p); !ok {
			break
		}
	}
	switch s := s.(type) {
	case *avro.Schema:
		if s.Root() != nil {
			if pos := s.Pos(avro.RootPath(s.Root())); pos.IsValid() {
				return pos
			}
		}
	case *protobuf.Schema:
		if pos := s.PackagePos(); pos.IsValid() {
			return pos
		}
	}
	return schema.Position{Line: 1, Column: 1}
}

// parentPath returns the path of the element enclosing the one at path,
// in the path notation of format f, and false at the outermost element.
func parentPath(f schema.Format, path string) (string, bool) {
	if f == schema.JSON {
		if i := strings.LastIndexByte(path, '/'); i > 0 {
			return path[:i], true
		}
		return "", false
	}
	if f == schema.Avro {
		switch {
		case strings.HasSuffix(path, ">"):
			// A union branch: its label never contains '<'.
			if i := strings.LastIndexByte(path, '<'); i >= 0 {
				return path[:i], true
			}
		case strings.HasSuffix(path, "[]"), strings.HasSuffix(path, "{}"):
			return path[:len(path)-2], true
		}
	}
	// An Avro field or enum symbol, a Protobuf full name.
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], true
	}
	return "", false
}

// markEnclosing sets f.NewEnclosing when f concerns an element that the new
// schema n lacks, so that New, when known, locates what enclosed it.
func markEnclosing(f *Finding, n schema.Schema) {
	f.NewEnclosing = f.New.IsValid() && f.Path != "" && !posOf(n, f.Path).IsValid()
}
