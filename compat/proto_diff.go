package compat

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/schemata-dev/schemata/schema/protobuf"
)

// protoDiff lists what changed between two Protobuf schemas: the package,
// messages, enums, fields (name, number, type, label, oneof, json_name,
// default, deprecation), oneofs, enum values and reservations. Elements are
// paired as the rules pair them; paths are the new schema's when the
// element exists there.
func protoDiff(st *stopper, old, new *pbModel) []Change {
	d := &protoDiffer{st: st, old: old, new: new}
	if old.pkg != new.pkg {
		d.add(Change{Kind: Changed, Element: "package", Path: new.pkg, Old: old.pkg, New: new.pkg,
			OldPos: old.s.PackagePos(), NewPos: new.s.PackagePos()})
	}
	for _, p := range pbPairMessages(old, new) {
		switch {
		case p.old == nil:
			d.added("message", p.new.path, string(p.new.d.FullName()))
		case p.new == nil:
			d.removed("message", p.old.path, string(p.old.d.FullName()))
		default:
			d.message(p.old, p.new)
		}
	}
	for _, p := range pbPairEnums(old, new) {
		switch {
		case p.old == nil:
			d.added("enum", p.new.path, string(p.new.d.FullName()))
		case p.new == nil:
			d.removed("enum", p.old.path, string(p.old.d.FullName()))
		default:
			d.enum(p.old, p.new)
		}
	}
	slices.SortStableFunc(d.out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Element, b.Element))
	})
	return d.out
}

type protoDiffer struct {
	st       *stopper
	old, new *pbModel
	out      []Change
}

func (d *protoDiffer) add(c Change) { d.out = append(d.out, c) }

func (d *protoDiffer) added(element, path, value string) {
	d.add(Change{Kind: Added, Element: element, Path: path, New: value, NewPos: d.new.pos(path)})
}

func (d *protoDiffer) removed(element, path, value string) {
	d.add(Change{Kind: Removed, Element: element, Path: path, Old: value, OldPos: d.old.pos(path)})
}

func (d *protoDiffer) changed(element, oldPath, newPath, oldValue, newValue string) {
	if oldValue == newValue {
		return
	}
	d.add(Change{Kind: Changed, Element: element, Path: newPath, Old: oldValue, New: newValue,
		OldPos: d.old.pos(oldPath), NewPos: d.new.pos(newPath)})
}

func (d *protoDiffer) message(om, nm *pbMessage) {
	d.st.tick()
	d.changed("deprecated", om.path, nm.path, pbDeprecatedText(om.d), pbDeprecatedText(nm.d))
	d.changed("reserved", om.path, nm.path, pbReservedText(pbFieldReservedRanges(om.d), om.d.ReservedNames()),
		pbReservedText(pbFieldReservedRanges(nm.d), nm.d.ReservedNames()))
	for _, name := range nm.oneofSeq {
		if _, ok := om.oneofs[name]; !ok {
			d.added("oneof", string(nm.oneofs[name].FullName()), string(name))
		}
	}
	for _, name := range om.oneofSeq {
		if _, ok := nm.oneofs[name]; !ok {
			d.removed("oneof", string(om.oneofs[name].FullName()), string(name))
		}
	}
	moved := map[protoreflect.Name]bool{}
	for _, n := range om.numbers {
		of := om.fields[n]
		if nf := nm.byName[of.d.Name()]; nf != nil && nf.d.Number() != n {
			moved[of.d.Name()] = true
			d.changed("number", of.path, nf.path, fmt.Sprint(n), fmt.Sprint(nf.d.Number()))
		}
	}
	for _, n := range pbFieldNumbers(om, nm) {
		of, nf := om.fields[n], nm.fields[n]
		switch {
		case of == nil:
			if !moved[nf.d.Name()] {
				d.added("field", nf.path, pbFieldText(nf.d))
			}
		case nf == nil:
			if !moved[of.d.Name()] {
				d.removed("field", of.path, pbFieldText(of.d))
			}
		default:
			d.field(of, nf)
		}
	}
}

func (d *protoDiffer) field(of, nf *pbField) {
	d.st.tick()
	d.changed("name", of.path, nf.path, string(of.d.Name()), string(nf.d.Name()))
	d.changed("type", of.path, nf.path, pbTypeName(of.d), pbTypeName(nf.d))
	d.changed("label", of.path, nf.path, pbLabelName(of.d), pbLabelName(nf.d))
	d.changed("oneof", of.path, nf.path, string(of.oneof), string(nf.oneof))
	if of.d.Name() == nf.d.Name() || pbExplicitJSONName(of.d) || pbExplicitJSONName(nf.d) {
		// A rename changes the default JSON name too; that is not news.
		d.changed("json_name", of.path, nf.path, of.d.JSONName(), nf.d.JSONName())
	}
	d.changed("default", of.path, nf.path, pbDefaultText(of.d), pbDefaultText(nf.d))
	d.changed("deprecated", of.path, nf.path, pbDeprecatedText(of.d), pbDeprecatedText(nf.d))
}

func (d *protoDiffer) enum(oe, ne *pbEnum) {
	d.changed("deprecated", oe.path, ne.path, pbDeprecatedText(oe.d), pbDeprecatedText(ne.d))
	d.changed("reserved", oe.path, ne.path, pbReservedText(pbEnumReservedRanges(oe.d), oe.d.ReservedNames()),
		pbReservedText(pbEnumReservedRanges(ne.d), ne.d.ReservedNames()))
	ovs, nvs := oe.d.Values(), ne.d.Values()
	for i := range nvs.Len() {
		nv := nvs.Get(i)
		path := pbEnumValuePath(ne, nv)
		ov := oe.byName[nv.Name()]
		if ov == nil {
			d.added("enum_value", path, fmt.Sprintf("%s = %d", nv.Name(), nv.Number()))
			continue
		}
		d.changed("number", pbEnumValuePath(oe, ov), path, fmt.Sprint(ov.Number()), fmt.Sprint(nv.Number()))
		d.changed("deprecated", pbEnumValuePath(oe, ov), path, pbDeprecatedText(ov), pbDeprecatedText(nv))
	}
	for i := range ovs.Len() {
		if ov := ovs.Get(i); ne.byName[ov.Name()] == nil {
			d.removed("enum_value", pbEnumValuePath(oe, ov), fmt.Sprintf("%s = %d", ov.Name(), ov.Number()))
		}
	}
}

// pbExplicitJSONName reports whether fd's JSON name differs from the
// default derived from its name.
func pbExplicitJSONName(fd protoreflect.FieldDescriptor) bool {
	return fd.JSONName() != protobuf.DefaultJSONName(string(fd.Name()))
}

// pbFieldText renders a field declaration: [label] type name = number.
func pbFieldText(fd protoreflect.FieldDescriptor) string {
	label := ""
	switch l := pbLabelName(fd); l {
	case "repeated", "required":
		label = l + " "
	}
	return fmt.Sprintf("%s%s %s = %d", label, pbTypeName(fd), fd.Name(), fd.Number())
}

func pbDefaultText(fd protoreflect.FieldDescriptor) string {
	if !fd.HasDefault() {
		return ""
	}
	if fd.Kind() == protoreflect.EnumKind {
		return string(fd.DefaultEnumValue().Name())
	}
	return fmt.Sprint(fd.Default().Interface())
}

func pbDeprecatedText(d protoreflect.Descriptor) string {
	var dep bool
	switch o := d.Options().(type) {
	case *descriptorpb.MessageOptions:
		dep = o.GetDeprecated()
	case *descriptorpb.FieldOptions:
		dep = o.GetDeprecated()
	case *descriptorpb.EnumOptions:
		dep = o.GetDeprecated()
	case *descriptorpb.EnumValueOptions:
		dep = o.GetDeprecated()
	}
	if dep {
		return "true"
	}
	return "false"
}

func pbReservedText(rs []pbNumberRange, names protoreflect.Names) string {
	var parts []string
	for _, r := range rs {
		if r.start == r.end {
			parts = append(parts, fmt.Sprint(r.start))
		} else {
			parts = append(parts, fmt.Sprintf("%d to %d", r.start, r.end))
		}
	}
	for i := range names.Len() {
		parts = append(parts, fmt.Sprintf("%q", names.Get(i)))
	}
	return strings.Join(parts, ", ")
}
