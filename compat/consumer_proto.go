package compat

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/protobuf"
)

// protoIndex maps the schema paths of a Protobuf schema (full names;
// enum values under their enum) to descriptors: the schema's own messages
// and enums, nested ones included, and every message reachable from them
// through fields, whichever file declares it.
type protoIndex struct {
	pkg      string
	first    protoreflect.FullName // the first message of the file
	elems    map[string]protoreflect.Descriptor
	messages map[protoreflect.FullName]protoreflect.MessageDescriptor
	// numbers maps each message's field numbers to its fields.
	numbers map[protoreflect.FullName]map[protoreflect.FieldNumber]protoreflect.FieldDescriptor
}

// field returns field name of message md. The compiler's descriptors find
// a field by name or number by scanning every field of the message, so
// looking up each field of a wide message that way takes quadratic time;
// the index answers in one step.
func (x *protoIndex) field(md protoreflect.MessageDescriptor, name protoreflect.Name) protoreflect.FieldDescriptor {
	f, _ := x.elems[string(md.FullName().Append(name))].(protoreflect.FieldDescriptor)
	return f
}

// indexProto returns the index of s, built once per schema.
func indexProto(s *protobuf.Schema) *protoIndex {
	return protoIndexes.get(s, buildProtoIndex)
}

var protoIndexes schemaMemo[protobuf.Schema, *protoIndex]

func buildProtoIndex(s *protobuf.Schema) *protoIndex {
	fd := s.File()
	x := &protoIndex{
		pkg:      string(fd.Package()),
		elems:    map[string]protoreflect.Descriptor{},
		messages: map[protoreflect.FullName]protoreflect.MessageDescriptor{},
		numbers:  map[protoreflect.FullName]map[protoreflect.FieldNumber]protoreflect.FieldDescriptor{},
	}
	if fd.Messages().Len() > 0 {
		x.first = fd.Messages().Get(0).FullName()
	}
	x.addEnums(fd.Enums())
	for i := range fd.Messages().Len() {
		x.addMessage(fd.Messages().Get(i))
	}
	return x
}

func (x *protoIndex) addMessage(md protoreflect.MessageDescriptor) {
	if _, seen := x.messages[md.FullName()]; seen {
		return
	}
	x.messages[md.FullName()] = md
	x.elems[string(md.FullName())] = md
	x.addEnums(md.Enums())
	for i := range md.Messages().Len() {
		x.addMessage(md.Messages().Get(i))
	}
	numbers := make(map[protoreflect.FieldNumber]protoreflect.FieldDescriptor, md.Fields().Len())
	x.numbers[md.FullName()] = numbers
	for i := range md.Fields().Len() {
		f := md.Fields().Get(i)
		x.elems[string(f.FullName())] = f
		numbers[f.Number()] = f
		if m := f.Message(); m != nil {
			x.addMessage(m)
		}
		if e := f.Enum(); e != nil {
			x.addEnum(e)
		}
	}
}

func (x *protoIndex) addEnums(es protoreflect.EnumDescriptors) {
	for i := range es.Len() {
		x.addEnum(es.Get(i))
	}
}

func (x *protoIndex) addEnum(ed protoreflect.EnumDescriptor) {
	if _, seen := x.elems[string(ed.FullName())]; seen {
		return
	}
	x.elems[string(ed.FullName())] = ed
	for i := range ed.Values().Len() {
		v := ed.Values().Get(i)
		x.elems[protobuf.EnumValuePath(v)] = v
	}
}

// resolve finds the canonical path of a declared path: a full name, a
// name relative to the file's package, or a path relative to message that
// may cross message-typed fields.
func (x *protoIndex) resolve(message, path string) (string, bool) {
	if _, ok := x.elems[path]; ok {
		return path, true
	}
	if x.pkg != "" {
		if p := x.pkg + "." + path; x.elems[p] != nil {
			return p, true
		}
	}
	md := x.messages[protoreflect.FullName(message)]
	if md == nil {
		return "", false
	}
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		f := x.field(md, protoreflect.Name(seg))
		if f == nil {
			return "", false
		}
		if i == len(segs)-1 {
			return string(f.FullName()), true
		}
		if md = f.Message(); md == nil {
			return "", false
		}
	}
	return "", false
}

// checkProtoReader checks the message a consumer decodes, field by field
// and recursively through message-typed fields, against the message of the
// same full name in the writer.
func (c *consumerCheck) checkProtoReader() {
	rs, ok1 := c.req.Consumer.Reader.(*protobuf.Schema)
	ws, ok2 := c.req.Writer.(*protobuf.Schema)
	if !ok1 || !ok2 {
		return
	}
	ridx, widx := indexProto(rs), indexProto(ws)
	name := protoreflect.FullName(c.req.Consumer.Message)
	if name == "" {
		name = ridx.first
	}
	rm := ridx.messages[name]
	if rm == nil {
		return
	}
	wm := widx.messages[name]
	if wm == nil {
		c.report(ruleConsumerMessageMissing, string(name), nearestPos(ws, string(name)), rs.Pos(string(name)),
			"decodes message %s, which %s does not define", name, c.req.WriterName)
		return
	}
	c.compareProtoMessages(rs, ws, widx, rm, wm, map[protoreflect.FullName]bool{})
}

func (c *consumerCheck) compareProtoMessages(rs, ws *protobuf.Schema, widx *protoIndex, rm, wm protoreflect.MessageDescriptor, seen map[protoreflect.FullName]bool) {
	if seen[rm.FullName()] {
		return
	}
	seen[rm.FullName()] = true
	fields := rm.Fields()
	for i := range fields.Len() {
		c.st.tick()
		rf := fields.Get(i)
		wf := widx.field(wm, rf.Name())
		if !c.compareProtoField(rs, ws, widx, string(rf.FullName()), rf, wf, wm) {
			continue
		}
		if rm2, wm2 := rf.Message(), wf.Message(); rm2 != nil && wm2 != nil && !rf.IsMap() {
			c.compareProtoMessages(rs, ws, widx, rm2, wm2, seen)
		}
	}
}

// compareProtoField reports what breaks between the field a consumer
// reads (rf, from its reader or the reference version) and the writer's
// field of the same name (wf, nil when gone; wm is the writer's message,
// widx the writer's index). It reports whether the two fields matched.
func (c *consumerCheck) compareProtoField(rs, ws schema.Schema, widx *protoIndex, path string, rf, wf protoreflect.FieldDescriptor, wm protoreflect.MessageDescriptor) bool {
	switch {
	case wf == nil:
		hint := ""
		if byNum := widx.numbers[wm.FullName()][rf.Number()]; byNum != nil {
			hint = fmt.Sprintf(" (field number %d is now %s)", rf.Number(), byNum.Name())
		}
		c.report(ruleConsumerFieldMissing, path, posOf(ws, string(wm.FullName())), posOf(rs, path),
			"reads %s, which %s does not have%s", path, c.req.WriterName, hint)
		return false
	case wf.Number() != rf.Number():
		c.report(ruleConsumerFieldNumberChanged, path, posOf(ws, path), posOf(rs, path),
			"reads %s as field number %d, but %s writes it as number %d: the consumer's decoder would not find it",
			path, rf.Number(), c.req.WriterName, wf.Number())
		return false
	case !protoFieldCompatible(wf, rf):
		c.report(ruleConsumerFieldTypeChanged, path, posOf(ws, path), posOf(rs, path),
			"reads %s as %s, but %s writes it as %s", path, protoTypeName(rf), c.req.WriterName, protoTypeName(wf))
		return false
	}
	return true
}

// checkProtoFields checks a field-path consumer against a Protobuf writer.
func (c *consumerCheck) checkProtoFields() {
	ws, ok := c.req.Writer.(*protobuf.Schema)
	if !ok {
		return
	}
	widx := indexProto(ws)
	var ref schema.Schema
	ridx := &protoIndex{elems: map[string]protoreflect.Descriptor{}}
	if r, ok := c.req.Reference.(*protobuf.Schema); ok && r != nil {
		ref, ridx = r, indexProto(r)
	}
	for _, declared := range c.req.Consumer.Fields {
		c.st.tick()
		path, ok := ridx.resolve(c.req.Consumer.Message, declared)
		if !ok {
			if path, ok = widx.resolve(c.req.Consumer.Message, declared); !ok {
				path = declared
			}
		}
		wd, rd := widx.elems[path], ridx.elems[path]
		switch {
		case wd == nil && rd == nil:
			c.report(ruleConsumerFieldUnknown, path, schema.Position{}, schema.Position{},
				"declares that it reads %s, which neither %s nor the version it is compared with has; check the consumer's field list", path, c.req.WriterName)
		case wd == nil:
			rf, isField := rd.(protoreflect.FieldDescriptor)
			if !isField {
				c.report(ruleConsumerFieldMissing, path, nearestPos(ws, path), posOf(ref, path),
					"reads %s, which %s does not have", path, c.req.WriterName)
				continue
			}
			wm := widx.messages[rf.ContainingMessage().FullName()]
			if wm == nil {
				c.report(ruleConsumerFieldMissing, path, nearestPos(ws, path), posOf(ref, path),
					"reads %s, whose message %s no longer exists in %s", path, rf.ContainingMessage().FullName(), c.req.WriterName)
				continue
			}
			c.compareProtoField(ref, ws, widx, path, rf, nil, wm)
		case rd == nil:
			// Present in the writer; nothing to compare it with.
		default:
			rf, ok1 := rd.(protoreflect.FieldDescriptor)
			wf, ok2 := wd.(protoreflect.FieldDescriptor)
			if ok1 && ok2 {
				c.compareProtoField(ref, ws, widx, path, rf, wf, wf.ContainingMessage())
			}
		}
	}
}

// protoFieldCompatible reports whether a consumer expecting field r can
// decode values written as field w: same cardinality, same wire group,
// and for messages and enums the same type. Unlike the level rules, it
// keeps enums apart from the integers they share the varint encoding with:
// for a consumer, a switch between them changes the field's type.
func protoFieldCompatible(w, r protoreflect.FieldDescriptor) bool {
	if w.IsList() != r.IsList() || w.IsMap() != r.IsMap() {
		return false
	}
	if r.IsMap() {
		return protoFieldCompatible(w.MapKey(), r.MapKey()) && protoFieldCompatible(w.MapValue(), r.MapValue())
	}
	if (w.Kind() == protoreflect.EnumKind) != (r.Kind() == protoreflect.EnumKind) ||
		pbWireGroup(w.Kind()) != pbWireGroup(r.Kind()) {
		return false
	}
	switch {
	case r.Message() != nil:
		return w.Message() != nil && w.Message().FullName() == r.Message().FullName()
	case r.Enum() != nil:
		return w.Enum() != nil && w.Enum().FullName() == r.Enum().FullName()
	}
	return true
}

// protoTypeName describes a field's type as written in a .proto file,
// with its label when it is repeated.
func protoTypeName(f protoreflect.FieldDescriptor) string {
	if f.IsList() {
		return "repeated " + pbTypeName(f)
	}
	return pbTypeName(f)
}
