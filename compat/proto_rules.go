package compat

import (
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
)

// The categories of the Protobuf compatibility rules: all run in both
// directions; most guard the binary encoding, the package guards the file.
var (
	protoWireRule = []Category{CategoryBackward, CategoryForward, CategoryWire}
	protoFileRule = []Category{CategoryBackward, CategoryForward, CategoryFile}
)

// The Protobuf compatibility rules. Each maps to one of Confluent's
// incompatible Difference types (named in its Purpose) unless marked as
// ours. Categories follow buf's breaking-change categories.
var (
	ruleProtoPackageChanged = newProtoRule("PROTO_PACKAGE_CHANGED", protoFileRule,
		"The package must not change: it is part of every type's full name (Confluent PACKAGE_CHANGED).")
	ruleProtoMessageRemoved = newProtoRule("PROTO_MESSAGE_REMOVED", protoFileRule,
		"A reader must define every message the writer defines, since Confluent's wire format names the message by its index in the schema (Confluent MESSAGE_REMOVED).")
	ruleProtoFieldKindChanged = newProtoRule("PROTO_FIELD_KIND_CHANGED", protoWireRule,
		"A field must stay a scalar or enum, a message, a group or a map (Confluent FIELD_KIND_CHANGED).")
	ruleProtoFieldScalarKindChanged = newProtoRule("PROTO_FIELD_SCALAR_KIND_CHANGED", protoWireRule,
		"A scalar field may change type only within its wire-compatible group: int32/int64/uint32/uint64/bool/enum, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes (Confluent FIELD_SCALAR_KIND_CHANGED).")
	ruleProtoFieldMessageTypeChanged = newProtoRule("PROTO_FIELD_MESSAGE_TYPE_CHANGED", protoWireRule,
		"A message field must keep its message type, compared by name within its package (Confluent FIELD_NAMED_TYPE_CHANGED).")
	ruleProtoFieldLabelChanged = newProtoRule("PROTO_FIELD_LABEL_CHANGED", protoWireRule,
		"A numeric or enum field must not switch between repeated and singular: packed repeated values do not decode as one value (Confluent FIELD_NUMERIC_LABEL_CHANGED).")
	ruleProtoRequiredFieldAdded = newProtoRule("PROTO_REQUIRED_FIELD_ADDED", protoWireRule,
		"A reader must not require a field the writer does not have (Confluent REQUIRED_FIELD_ADDED).")
	ruleProtoRequiredFieldRemoved = newProtoRule("PROTO_REQUIRED_FIELD_REMOVED", protoWireRule,
		"A required field must not be removed (Confluent REQUIRED_FIELD_REMOVED).")
	ruleProtoFieldRequiredChanged = newProtoRule("PROTO_FIELD_REQUIRED_CHANGED", protoWireRule,
		"A reader must not require a field that the writer may omit (ours; proto2 required and editions LEGACY_REQUIRED).")
	ruleProtoOneofFieldRemoved = newProtoRule("PROTO_ONEOF_FIELD_REMOVED", protoWireRule,
		"A field must not be removed from a oneof that remains: a value set in it would read as an unset oneof (Confluent ONEOF_FIELD_REMOVED).")
	ruleProtoOneofFieldsMoved = newProtoRule("PROTO_ONEOF_MULTIPLE_FIELDS_MOVED", protoWireRule,
		"At most one existing field may move into a new oneof: data setting several of them would keep only one (Confluent MULTIPLE_FIELDS_MOVED_TO_ONEOF).")
	ruleProtoFieldMovedToExistingOneof = newProtoRule("PROTO_ONEOF_FIELD_MOVED_TO_EXISTING", protoWireRule,
		"A field must not move into a oneof that already had members (Confluent FIELD_MOVED_TO_EXISTING_ONEOF).")
	ruleProtoFieldNumberChanged = newProtoRule("PROTO_FIELD_NUMBER_CHANGED", protoWireRule,
		"A field must keep its number: values written under the old number are dropped as unknown (ours; Confluent sees a removal plus an addition).")
	ruleProtoEnumValueNumberChanged = newProtoRule("PROTO_ENUM_VALUE_NUMBER_CHANGED", protoWireRule,
		"An enum value must keep its number: the number is what the wire carries (ours).")
	ruleProtoFieldNameChanged = newProtoNameRule("PROTO_FIELD_NAME_CHANGED",
		"Renaming a field keeps the binary encoding but breaks the JSON encoding and generated code (ours, a warning; buf FIELD_SAME_NAME).")
	ruleProtoEnumValueNameChanged = newProtoNameRule("PROTO_ENUM_VALUE_NAME_CHANGED",
		"Renaming an enum value keeps the binary encoding but breaks the JSON encoding and generated code (ours, a warning; buf ENUM_VALUE_SAME_NAME).")
)

// newProtoRule declares an error rule of Protobuf compatibility.
func newProtoRule(id string, categories []Category, purpose string) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: schema.Protobuf, Categories: categories})
}

// newProtoNameRule declares a rule about a renamed element: a warning,
// since binary data still decodes while JSON data and generated code break.
func newProtoNameRule(id, purpose string) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: schema.Protobuf,
		Categories: []Category{CategoryWireJSON, CategoryFile}, Severity: Warning})
}

// run applies every compatibility rule to the paired elements.
func (c *protoCompare) run() {
	if c.w.pkg != c.r.pkg {
		f := Finding{
			RuleID:    ruleProtoPackageChanged.ID,
			Severity:  ruleProtoPackageChanged.Severity,
			Path:      c.new.pkg,
			Message:   fmt.Sprintf("%s: the package changed from %s to %s, which renames every message and enum", c.cannot(), pbPkgName(c.old.pkg), pbPkgName(c.new.pkg)),
			Version:   c.version,
			Direction: c.dir,
			New:       c.new.s.PackagePos(),
			Old:       c.old.s.PackagePos(),
		}
		c.findings = append(c.findings, f)
	}
	for _, p := range pbPairMessages(c.old, c.new) {
		wm, rm := p.old, p.new
		if c.w == c.new {
			wm, rm = p.new, p.old
		}
		switch {
		case wm != nil && rm == nil:
			if parent, ok := wm.d.Parent().(protoreflect.MessageDescriptor); ok && c.r.messages[pbRelName(parent)] == nil {
				continue // reported with its enclosing message
			}
			c.report(ruleProtoMessageRemoved, wm.path, wm.path, "",
				fmt.Sprintf("%s: %s has no message %s, so data written as that message cannot be decoded", c.cannot(), c.side(c.r), p.key))
		case wm != nil && rm != nil:
			c.compareMessage(wm, rm)
		}
	}
	for _, p := range pbPairEnums(c.old, c.new) {
		we, re := p.old, p.new
		if c.w == c.new {
			we, re = p.new, p.old
		}
		if we != nil && re != nil {
			c.compareEnum(we, re)
		}
	}
}

func pbPkgName(p string) string {
	if p == "" {
		return "(none)"
	}
	return p
}

// pathOf picks the path to report: the new schema's when it has one.
func (c *protoCompare) pathOf(wPath, rPath string) string {
	if (c.r == c.new && rPath != "") || wPath == "" {
		return rPath
	}
	return wPath
}

func (c *protoCompare) compareMessage(wm, rm *pbMessage) {
	c.st.tick()
	for _, n := range pbFieldNumbers(wm, rm) {
		wf, rf := wm.fields[n], rm.fields[n]
		switch {
		case wf != nil && rf == nil:
			if wf.d.Cardinality() == protoreflect.Required {
				c.report(ruleProtoRequiredFieldRemoved, wf.path, wf.path, "",
					fmt.Sprintf("%s: required field %s (number %d) of %s is missing from %s; a required field can never be removed", c.cannot(), wf.d.Name(), n, c.side(c.w), c.side(c.r)))
			} else if _, kept := rm.oneofs[wf.oneof]; wf.oneof != "" && kept {
				c.report(ruleProtoOneofFieldRemoved, wf.path, wf.path, string(rm.oneofs[wf.oneof].FullName()),
					fmt.Sprintf("%s: field %s (number %d) of oneof %s is missing from it in %s, so a value written in that field reads as an unset oneof", c.cannot(), wf.d.Name(), n, wf.oneof, c.side(c.r)))
			}
		case wf == nil && rf != nil:
			if rf.d.Cardinality() == protoreflect.Required {
				c.report(ruleProtoRequiredFieldAdded, rf.path, "", rf.path,
					fmt.Sprintf("%s: %s requires field %s (number %d), which %s does not have, so every message fails to parse", c.cannot(), c.side(c.r), rf.d.Name(), n, c.side(c.w)))
			}
		default:
			c.compareField(wf, rf)
		}
	}
	for _, n := range wm.numbers {
		wf := wm.fields[n]
		if rf := rm.byName[wf.d.Name()]; rf != nil && rf.d.Number() != n {
			c.report(ruleProtoFieldNumberChanged, c.pathOf(wf.path, rf.path), wf.path, rf.path,
				fmt.Sprintf("%s: field %s is number %d in %s but %d in %s, so its values are dropped as unknown (or read into another field)", c.cannot(), wf.d.Name(), n, c.side(c.w), rf.d.Number(), c.side(c.r)))
		}
	}
	c.compareOneofMoves(wm, rm)
}

// compareOneofMoves applies Confluent's oneof membership checks to each
// oneof of the reader.
func (c *protoCompare) compareOneofMoves(wm, rm *pbMessage) {
	for _, name := range rm.oneofSeq {
		o := rm.oneofs[name]
		var moved, existing []string
		fs := o.Fields()
		for i := range fs.Len() {
			wf := wm.fields[fs.Get(i).Number()]
			switch {
			case wf == nil:
			case wf.oneof == "":
				moved = append(moved, string(wf.d.Name()))
			default:
				existing = append(existing, string(wf.d.Name()))
			}
		}
		path := string(o.FullName())
		switch {
		case len(moved) > 1:
			c.report(ruleProtoOneofFieldsMoved, path, "", path,
				fmt.Sprintf("%s: fields %s were separate in %s but share oneof %s in %s, so of data setting several only the last is kept", c.cannot(), pbQuoteList(moved), c.side(c.w), name, c.side(c.r)))
		case len(moved) == 1 && len(existing) > 0:
			c.report(ruleProtoFieldMovedToExistingOneof, path, "", path,
				fmt.Sprintf("%s: field %s moved into oneof %s, which already held %s in %s, so data setting both keeps only one", c.cannot(), moved[0], name, pbQuoteList(existing), c.side(c.w)))
		}
	}
}

func (c *protoCompare) compareField(wf, rf *pbField) {
	c.st.tick()
	path := c.pathOf(wf.path, rf.path)
	n := wf.d.Number()
	if wf.d.Name() != rf.d.Name() {
		c.report(ruleProtoFieldNameChanged, path, wf.path, rf.path,
			fmt.Sprintf("field number %d is named %s in %s but %s in %s; binary data still decodes, JSON data and generated code do not", n, wf.d.Name(), c.side(c.w), rf.d.Name(), c.side(c.r)))
	}
	subject := pbSubject{field: rf.d}
	if !c.compareTypes(wf.d, rf.d, path, wf.path, rf.path, subject) {
		return
	}
	if pbKindOf(wf.d) == pbKindScalar && pbWireGroup(wf.d.Kind()) != "length-delimited" &&
		wf.d.IsList() != rf.d.IsList() {
		c.report(ruleProtoFieldLabelChanged, path, wf.path, rf.path,
			fmt.Sprintf("%s: %s is %s in %s but %s in %s; repeated numbers are packed on the wire, so the two encodings are not interchangeable", c.cannot(), subject, pbLabelName(wf.d), c.side(c.w), pbLabelName(rf.d), c.side(c.r)))
	}
	if rf.d.Cardinality() == protoreflect.Required && wf.d.Cardinality() != protoreflect.Required {
		c.report(ruleProtoFieldRequiredChanged, path, wf.path, rf.path,
			fmt.Sprintf("%s: %s is required in %s but optional in %s, so messages that omit it fail to parse", c.cannot(), subject, c.side(c.r), c.side(c.w)))
	}
}

// pbSubject names what a type finding is about: a field, or its map key or
// value. It is rendered only when a finding is reported.
type pbSubject struct {
	field protoreflect.FieldDescriptor
	part  string // "", "key" or "value"
}

func (s pbSubject) String() string {
	f := fmt.Sprintf("field %s (number %d)", s.field.Name(), s.field.Number())
	if s.part != "" {
		return "the map " + s.part + " of " + f
	}
	return f
}

// compareTypes compares the types of a field pair (or of their map keys or
// values) and reports whether they are the same kind.
func (c *protoCompare) compareTypes(wd, rd protoreflect.FieldDescriptor, path, wPath, rPath string, subject pbSubject) bool {
	wk, rk := pbKindOf(wd), pbKindOf(rd)
	if wk != rk {
		c.report(ruleProtoFieldKindChanged, path, wPath, rPath,
			fmt.Sprintf("%s: %s is a %s (%s) in %s but a %s (%s) in %s", c.cannot(), subject, wk, pbTypeName(wd), c.side(c.w), rk, pbTypeName(rd), c.side(c.r)))
		return false
	}
	switch wk {
	case pbKindScalar:
		if wg, rg := pbWireGroup(wd.Kind()), pbWireGroup(rd.Kind()); wg != rg {
			c.report(ruleProtoFieldScalarKindChanged, path, wPath, rPath,
				fmt.Sprintf("%s: %s is %s (%s encoding) in %s but %s (%s encoding) in %s", c.cannot(), subject, pbScalarText(wd), wg, c.side(c.w), pbScalarText(rd), rg, c.side(c.r)))
			return false
		}
	case pbKindMessage, pbKindGroup:
		wm, rm := wd.Message(), rd.Message()
		if pbRelName(wm) != pbRelName(rm) {
			c.report(ruleProtoFieldMessageTypeChanged, path, wPath, rPath,
				fmt.Sprintf("%s: %s has message type %s in %s but %s in %s", c.cannot(), subject, wm.FullName(), c.side(c.w), rm.FullName(), c.side(c.r)))
			return false
		}
		c.compareReferenced(wm, rm)
	case pbKindMap:
		key, value := subject, subject
		key.part, value.part = "key", "value"
		ok := c.compareTypes(wd.MapKey(), rd.MapKey(), path, wPath, rPath, key)
		return c.compareTypes(wd.MapValue(), rd.MapValue(), path, wPath, rPath, value) && ok
	}
	return true
}

// compareReferenced compares a pair of same-named message types when at
// least one lives in a referenced file (local pairs are compared anyway).
func (c *protoCompare) compareReferenced(wd, rd protoreflect.MessageDescriptor) {
	wm, rm := c.w.message(wd), c.r.message(rd)
	if (wm.local && rm.local) || (pbIsWellKnown(wd) && pbIsWellKnown(rd)) {
		return
	}
	key := [2]string{wm.path, rm.path}
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.compareMessage(wm, rm)
}

func (c *protoCompare) compareEnum(we, re *pbEnum) {
	for _, n := range pbEnumNumbers(we, re) {
		wv, rv := we.byNum[n], re.byNum[n]
		if wv != nil && rv != nil && wv.Name() != rv.Name() {
			wp, rp := pbEnumValuePath(we, wv), pbEnumValuePath(re, rv)
			c.report(ruleProtoEnumValueNameChanged, c.pathOf(wp, rp), wp, rp,
				fmt.Sprintf("enum value number %d is named %s in %s but %s in %s; binary data still decodes, JSON data and generated code do not", n, wv.Name(), c.side(c.w), rv.Name(), c.side(c.r)))
		}
	}
	vs := we.d.Values()
	for i := range vs.Len() {
		wv := vs.Get(i)
		if rv := re.byName[wv.Name()]; rv != nil && rv.Number() != wv.Number() {
			wp, rp := pbEnumValuePath(we, wv), pbEnumValuePath(re, rv)
			c.report(ruleProtoEnumValueNumberChanged, c.pathOf(wp, rp), wp, rp,
				fmt.Sprintf("%s: enum value %s is %d in %s but %d in %s, so the value decodes as a different or unknown one", c.cannot(), wv.Name(), wv.Number(), c.side(c.w), rv.Number(), c.side(c.r)))
		}
	}
}

// pbScalarText names a scalar type, marking enums as such.
func pbScalarText(fd protoreflect.FieldDescriptor) string {
	if fd.Kind() == protoreflect.EnumKind {
		return "enum " + string(fd.Enum().FullName())
	}
	return pbTypeName(fd)
}

func pbEnumValuePath(e *pbEnum, v protoreflect.EnumValueDescriptor) string {
	return e.path + "." + string(v.Name())
}

func pbQuoteList(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " and "
		default:
			out += ", "
		}
		out += n
	}
	return out
}
