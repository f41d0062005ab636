package protobuf

import (
	"encoding/base64"
	"sync"

	"github.com/bufbuild/protocompile/linker"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
)

// Schema is a compiled, validated Protobuf schema. It is immutable and safe
// for concurrent use.
type Schema struct {
	name         string
	text         string
	file         linker.Result
	identity     string
	normalized   string
	deprecations []schema.Deprecation
	pos          map[string]schema.Position

	memoMu sync.Mutex
	memo   map[any]any
}

var _ schema.Schema = (*Schema)(nil)

// newSchema indexes and prints a compiled file; lenient leaves malformed
// deprecation tags unread instead of refusing them (ParseLenient).
func newSchema(name, text string, res linker.Result, lenient bool) (*Schema, error) {
	s := &Schema{
		name: name,
		text: text,
		file: res,
		pos:  map[string]schema.Position{},
	}
	indexPositions(res, s.pos)
	deps, err := readDeprecations(res, s.pos, lenient)
	if err != nil {
		return nil, err
	}
	s.deprecations = deps
	s.identity = printFile(res, printForm{}, deps)
	s.normalized = printFile(res, printForm{normalized: true}, deps)
	return s, nil
}

// Memo returns the value stored under key, calling build to compute it on
// first use. Packages that derive an index from a schema (the compatibility
// checker) use it so that a version is indexed once however many checks
// reuse it. key should be an unexported type of the calling package; build
// must not call Memo on the same schema.
func (s *Schema) Memo(key any, build func() any) any {
	s.memoMu.Lock()
	defer s.memoMu.Unlock()
	if v, ok := s.memo[key]; ok {
		return v
	}
	if s.memo == nil {
		s.memo = map[any]any{}
	}
	v := build()
	s.memo[key] = v
	return v
}

// Format returns schema.Protobuf.
func (s *Schema) Format() schema.Format { return schema.Protobuf }

// Name returns the file name the schema was compiled under.
func (s *Schema) Name() string { return s.name }

// Text returns the schema text exactly as submitted.
func (s *Schema) Text() string { return s.text }

// Identity returns the schema printed from its descriptor in declaration
// order; two texts with equal identities are the same schema. It ignores
// whitespace, comments, quoting style, how type names are spelled (they are
// printed fully qualified), the order of options, the relative order of
// different kinds of declarations inside a message (fields, nested messages,
// enums, extension ranges, reserved ranges) and json_name options equal to
// the default JSON name. The order of declarations of one kind is kept:
// message order matters to Confluent's message indexes. The @sunset,
// @replacement and @reason tags of deprecated elements are the one kind of
// comment it keeps (printed in one canonical form above their element):
// they are deprecation metadata, so two texts that differ only in them are
// different schemas.
func (s *Schema) Identity() string { return s.identity }

// Normalized returns the form stored for normalize=true, following
// Confluent's Protobuf normalization: imports sorted and deduplicated,
// options sorted by name, fields sorted by number with oneofs after them
// (ordered by their first field number), enum values sorted by number then
// name, reserved ranges and names split and sorted, map fields printed as
// map<K, V> and type names fully qualified. Messages and enums keep their
// declaration order, as Confluent's message indexes depend on it.
func (s *Schema) Normalized() string { return s.normalized }

// Deprecations lists the deprecated fields, messages, enums and enum values
// in declaration order (see the package documentation of the @sunset
// comment convention).
func (s *Schema) Deprecations() []schema.Deprecation {
	out := make([]schema.Deprecation, len(s.deprecations))
	copy(out, s.deprecations)
	return out
}

// File returns the linked descriptor of the schema's own file; its imports
// reach the referenced files and the well-known types.
func (s *Schema) File() protoreflect.FileDescriptor { return s.file }

// Pos returns where the element at path is declared in Text: a message,
// enum, service or extension by full name, a field, oneof or method by its
// parent's path plus its name, an enum value by its enum's path plus its
// name. It returns the zero Position for unknown paths and for elements of
// referenced files.
func (s *Schema) Pos(path string) schema.Position { return s.pos[path] }

// PackagePos returns where the package statement is, or the zero Position
// when the file declares no package.
func (s *Schema) PackagePos() schema.Position { return s.pos[packageKey] }

// packageKey indexes the package statement; it cannot collide with a path,
// which never starts with a space.
const packageKey = " package"

// EnumValuePath returns the path of an enum value: its enum's full name,
// a dot and the value's name.
func EnumValuePath(v protoreflect.EnumValueDescriptor) string {
	return string(v.Parent().FullName()) + "." + string(v.Name())
}

// fileDescriptorPackageTag is the field number of
// google.protobuf.FileDescriptorProto.package, the source path of the
// package statement.
const fileDescriptorPackageTag = 2

// indexPositions records the declaration position of every element of f.
func indexPositions(f protoreflect.FileDescriptor, out map[string]schema.Position) {
	locs := f.SourceLocations()
	at := func(d protoreflect.Descriptor) schema.Position {
		loc := locs.ByDescriptor(d)
		if loc.Path == nil { // not recorded
			return schema.Position{}
		}
		return schema.Position{Line: loc.StartLine + 1, Column: loc.StartColumn + 1}
	}
	var enums func(protoreflect.EnumDescriptors)
	enums = func(es protoreflect.EnumDescriptors) {
		for i := range es.Len() {
			e := es.Get(i)
			out[string(e.FullName())] = at(e)
			vs := e.Values()
			for j := range vs.Len() {
				out[EnumValuePath(vs.Get(j))] = at(vs.Get(j))
			}
		}
	}
	var messages func(protoreflect.MessageDescriptors)
	messages = func(ms protoreflect.MessageDescriptors) {
		for i := range ms.Len() {
			m := ms.Get(i)
			if m.IsMapEntry() {
				continue
			}
			out[string(m.FullName())] = at(m)
			fs := m.Fields()
			for j := range fs.Len() {
				out[string(fs.Get(j).FullName())] = at(fs.Get(j))
			}
			os := m.Oneofs()
			for j := range os.Len() {
				if o := os.Get(j); !o.IsSynthetic() {
					out[string(o.FullName())] = at(o)
				}
			}
			xs := m.Extensions()
			for j := range xs.Len() {
				out[string(xs.Get(j).FullName())] = at(xs.Get(j))
			}
			messages(m.Messages())
			enums(m.Enums())
		}
	}
	if loc := locs.ByPath(protoreflect.SourcePath{fileDescriptorPackageTag}); loc.Path != nil {
		out[packageKey] = schema.Position{Line: loc.StartLine + 1, Column: loc.StartColumn + 1}
	}
	messages(f.Messages())
	enums(f.Enums())
	xs := f.Extensions()
	for i := range xs.Len() {
		out[string(xs.Get(i).FullName())] = at(xs.Get(i))
	}
	ss := f.Services()
	for i := range ss.Len() {
		svc := ss.Get(i)
		out[string(svc.FullName())] = at(svc)
		ms := svc.Methods()
		for j := range ms.Len() {
			out[string(ms.Get(j).FullName())] = at(ms.Get(j))
		}
	}
}

// Render returns the schema in one of the forms the Confluent API's format
// parameter names: "serialized" is the file's FileDescriptorProto in
// binary, base64-encoded, as Confluent's serializers exchange it;
// "ignore_extensions" is Identity without extend blocks and without
// custom options other than Confluent's own "confluent." ones.
func (s *Schema) Render(form string) (string, bool) {
	switch form {
	case "ignore_extensions":
		return printFile(s.file, printForm{ignoreExtensions: true}, s.deprecations), true
	case "serialized":
	default:
		return "", false
	}
	b, err := proto.Marshal(protodesc.ToFileDescriptorProto(s.file))
	if err != nil {
		return "", false
	}
	return base64.StdEncoding.EncodeToString(b), true
}
