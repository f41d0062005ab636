package compat

import (
	"slices"
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// pbModel indexes one Protobuf schema for pairing. Messages and enums are
// keyed by their name relative to their file's package, so that a package
// change is reported once rather than as the removal of every type.
type pbModel struct {
	s        *protobuf.Schema
	pkg      string
	messages map[string]*pbMessage
	enums    map[string]*pbEnum
	// msgOrder and enumOrder list the keys in declaration order (outer
	// before nested) for deterministic output.
	msgOrder  []string
	enumOrder []string
	// deps caches messages of referenced files, built on demand; the model
	// is shared between checks, so deps is guarded by depsMu.
	depsMu sync.Mutex
	deps   map[protoreflect.FullName]*pbMessage
}

// pbMessage is a message with its fields indexed by number and name.
type pbMessage struct {
	d        protoreflect.MessageDescriptor
	path     string
	local    bool // declared in the schema's own file
	fields   map[protoreflect.FieldNumber]*pbField
	byName   map[protoreflect.Name]*pbField
	numbers  []protoreflect.FieldNumber // ascending
	oneofs   map[protoreflect.Name]protoreflect.OneofDescriptor
	oneofSeq []protoreflect.Name // declaration order
}

// pbField is a field with the name of its real (non-synthetic) oneof.
type pbField struct {
	d     protoreflect.FieldDescriptor
	path  string
	oneof protoreflect.Name
}

// pbEnum is an enum with its values indexed by number and name.
type pbEnum struct {
	d       protoreflect.EnumDescriptor
	path    string
	byNum   map[protoreflect.EnumNumber]protoreflect.EnumValueDescriptor // first value per number
	byName  map[protoreflect.Name]protoreflect.EnumValueDescriptor
	numbers []protoreflect.EnumNumber // ascending, distinct
}

// pbModelKey is the memo key of a schema's model.
type pbModelKey struct{}

// protoModel returns the model of s, built once per schema and reused by
// every check, or nil when s is not a Protobuf schema.
func protoModel(s schema.Schema) *pbModel {
	ps, ok := s.(*protobuf.Schema)
	if !ok || ps == nil {
		return nil
	}
	return ps.Memo(pbModelKey{}, func() any { return newPBModel(ps) }).(*pbModel)
}

func newPBModel(ps *protobuf.Schema) *pbModel {
	fd := ps.File()
	m := &pbModel{
		s:        ps,
		pkg:      string(fd.Package()),
		messages: map[string]*pbMessage{},
		enums:    map[string]*pbEnum{},
		deps:     map[protoreflect.FullName]*pbMessage{},
	}
	m.addEnums(fd.Enums())
	m.addMessages(fd.Messages())
	return m
}

func (m *pbModel) addMessages(ms protoreflect.MessageDescriptors) {
	for i := range ms.Len() {
		md := ms.Get(i)
		if md.IsMapEntry() {
			continue
		}
		if !pbIsGroupBody(md) {
			key := pbRelName(md)
			m.messages[key] = newPBMessage(md, true)
			m.msgOrder = append(m.msgOrder, key)
		}
		m.addEnums(md.Enums())
		m.addMessages(md.Messages())
	}
}

func (m *pbModel) addEnums(es protoreflect.EnumDescriptors) {
	for i := range es.Len() {
		ed := es.Get(i)
		key := pbRelName(ed)
		m.enums[key] = newPBEnum(ed)
		m.enumOrder = append(m.enumOrder, key)
	}
}

// pbIsGroupBody reports whether md is the body of a proto2 group field,
// which belongs to the field rather than being a message of its own; it is
// compared through the field.
func pbIsGroupBody(md protoreflect.MessageDescriptor) bool {
	parent, ok := md.Parent().(protoreflect.MessageDescriptor)
	if !ok {
		return false
	}
	fd := parent.Fields().ByName(protoreflect.Name(strings.ToLower(string(md.Name()))))
	return fd != nil && fd.Kind() == protoreflect.GroupKind && fd.Message() == md
}

// message returns the model of md, which may belong to a referenced file.
func (m *pbModel) message(md protoreflect.MessageDescriptor) *pbMessage {
	if md.ParentFile().Path() == m.s.File().Path() {
		if pm := m.messages[pbRelName(md)]; pm != nil {
			return pm
		}
		// A group body: declared here but compared through its field.
	}
	m.depsMu.Lock()
	defer m.depsMu.Unlock()
	if pm := m.deps[md.FullName()]; pm != nil {
		return pm
	}
	pm := newPBMessage(md, false)
	m.deps[md.FullName()] = pm
	return pm
}

// pos locates path in the schema text; elements of referenced files have
// no position in it.
func (m *pbModel) pos(path string) schema.Position { return m.s.Pos(path) }

func newPBMessage(md protoreflect.MessageDescriptor, local bool) *pbMessage {
	fs := md.Fields()
	pm := &pbMessage{
		d:       md,
		path:    string(md.FullName()),
		local:   local,
		fields:  make(map[protoreflect.FieldNumber]*pbField, fs.Len()),
		byName:  make(map[protoreflect.Name]*pbField, fs.Len()),
		numbers: make([]protoreflect.FieldNumber, 0, fs.Len()),
		oneofs:  map[protoreflect.Name]protoreflect.OneofDescriptor{},
	}
	all := make([]pbField, fs.Len())
	for i := range fs.Len() {
		fd := fs.Get(i)
		f := &all[i]
		*f = pbField{d: fd, path: string(fd.FullName())}
		if o := fd.ContainingOneof(); o != nil && !o.IsSynthetic() {
			f.oneof = o.Name()
		}
		pm.fields[fd.Number()] = f
		pm.byName[fd.Name()] = f
		pm.numbers = append(pm.numbers, fd.Number())
	}
	slices.Sort(pm.numbers)
	os := md.Oneofs()
	for i := range os.Len() {
		if o := os.Get(i); !o.IsSynthetic() {
			pm.oneofs[o.Name()] = o
			pm.oneofSeq = append(pm.oneofSeq, o.Name())
		}
	}
	return pm
}

func newPBEnum(ed protoreflect.EnumDescriptor) *pbEnum {
	pe := &pbEnum{
		d:      ed,
		path:   string(ed.FullName()),
		byNum:  map[protoreflect.EnumNumber]protoreflect.EnumValueDescriptor{},
		byName: map[protoreflect.Name]protoreflect.EnumValueDescriptor{},
	}
	vs := ed.Values()
	for i := range vs.Len() {
		v := vs.Get(i)
		if _, dup := pe.byNum[v.Number()]; !dup {
			pe.byNum[v.Number()] = v
			pe.numbers = append(pe.numbers, v.Number())
		}
		pe.byName[v.Name()] = v
	}
	slices.Sort(pe.numbers)
	return pe
}

// pbRelName is d's full name without its file's package.
func pbRelName(d protoreflect.Descriptor) string {
	full := string(d.FullName())
	if pkg := string(d.ParentFile().Package()); pkg != "" {
		return strings.TrimPrefix(full, pkg+".")
	}
	return full
}

// pbPair is a matched pair of elements (messages or enums) sharing a
// relative name; an unmatched element has a nil side.
type pbPair[E any] struct {
	key      string
	old, new *E
}

// pbPairByKey pairs the elements of old and new by key, in newOrder (the
// new schema's declaration order); elements only old has come last, in
// oldOrder.
func pbPairByKey[E any](old, new map[string]*E, oldOrder, newOrder []string) []pbPair[E] {
	out := make([]pbPair[E], 0, len(newOrder)+len(oldOrder))
	for _, k := range newOrder {
		out = append(out, pbPair[E]{key: k, old: old[k], new: new[k]})
	}
	for _, k := range oldOrder {
		if new[k] == nil {
			out = append(out, pbPair[E]{key: k, old: old[k]})
		}
	}
	return out
}

// pbPairMessages pairs the messages of old and new by relative name, in the
// new schema's declaration order; unmatched messages have a nil side.
// Messages removed from new come last, in the old schema's order.
func pbPairMessages(old, new *pbModel) []pbPair[pbMessage] {
	return pbPairByKey(old.messages, new.messages, old.msgOrder, new.msgOrder)
}

// pbPairEnums is pbPairMessages for enums.
func pbPairEnums(old, new *pbModel) []pbPair[pbEnum] {
	return pbPairByKey(old.enums, new.enums, old.enumOrder, new.enumOrder)
}

// pbNumberUnion returns the numbers (field or enum value numbers) in a or
// b, ascending and distinct.
func pbNumberUnion[N protoreflect.FieldNumber | protoreflect.EnumNumber](a, b []N) []N {
	out := make([]N, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// pbFieldNumbers returns the union of a's and b's field numbers, ascending.
func pbFieldNumbers(a, b *pbMessage) []protoreflect.FieldNumber {
	return pbNumberUnion(a.numbers, b.numbers)
}

// pbEnumNumbers returns the union of a's and b's value numbers, ascending.
func pbEnumNumbers(a, b *pbEnum) []protoreflect.EnumNumber {
	return pbNumberUnion(a.numbers, b.numbers)
}

// pbFieldKind is the coarse kind Confluent compares first.
type pbFieldKind string

const (
	pbKindScalar  pbFieldKind = "scalar" // scalars and enums
	pbKindMessage pbFieldKind = "message"
	pbKindGroup   pbFieldKind = "group"
	pbKindMap     pbFieldKind = "map"
)

func pbKindOf(fd protoreflect.FieldDescriptor) pbFieldKind {
	switch {
	case fd.IsMap():
		return pbKindMap
	case fd.Kind() == protoreflect.GroupKind:
		return pbKindGroup
	case fd.Kind() == protoreflect.MessageKind:
		return pbKindMessage
	}
	return pbKindScalar
}

// pbWireGroup names the set of scalar types that share an encoding and can
// replace each other on the wire (Protobuf's "Updating a message type").
func pbWireGroup(k protoreflect.Kind) string {
	switch k {
	case protoreflect.Int32Kind, protoreflect.Int64Kind, protoreflect.Uint32Kind, protoreflect.Uint64Kind,
		protoreflect.BoolKind, protoreflect.EnumKind:
		return "varint"
	case protoreflect.Sint32Kind, protoreflect.Sint64Kind:
		return "zigzag varint"
	case protoreflect.StringKind, protoreflect.BytesKind:
		return "length-delimited"
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind:
		return "32-bit fixed"
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind:
		return "64-bit fixed"
	case protoreflect.FloatKind:
		return "float"
	case protoreflect.DoubleKind:
		return "double"
	}
	return k.String()
}

// pbTypeName renders a field's type as written in source (full names for
// messages and enums, map<K, V> for maps).
func pbTypeName(fd protoreflect.FieldDescriptor) string {
	switch {
	case fd.IsMap():
		return "map<" + pbTypeName(fd.MapKey()) + ", " + pbTypeName(fd.MapValue()) + ">"
	case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
		return string(fd.Message().FullName())
	case fd.Kind() == protoreflect.EnumKind:
		return string(fd.Enum().FullName())
	}
	return fd.Kind().String()
}

// pbLabelName renders a field's cardinality.
func pbLabelName(fd protoreflect.FieldDescriptor) string {
	switch {
	case fd.IsMap():
		return "map"
	case fd.Cardinality() == protoreflect.Repeated:
		return "repeated"
	case fd.Cardinality() == protoreflect.Required:
		return "required"
	}
	return "singular"
}

// pbIsWellKnown reports whether d is declared in one of the built-in
// google/protobuf files, which never change.
func pbIsWellKnown(d protoreflect.Descriptor) bool {
	return strings.HasPrefix(d.ParentFile().Path(), "google/protobuf/")
}
