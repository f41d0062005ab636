package compat

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemata-dev/schemata/schema"
)

// The additive-only policy rules for Protobuf ("deprecate, don't delete").
// They compare the new schema with the latest live version; the earlier
// versions only tell when an element was first marked deprecated.
var (
	ruleProtoAddMessageRemoved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_MESSAGE_REMOVED",
		"Under the additive-only policy a message may be removed only after a deprecation that the policy lets expire.")
	ruleProtoAddEnumRemoved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_ENUM_REMOVED",
		"Under the additive-only policy an enum may be removed only after a deprecation that the policy lets expire.")
	ruleProtoAddFieldRemoved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_REMOVED",
		"Under the additive-only policy a field may be removed only after a deprecation that the policy lets expire.")
	ruleProtoAddEnumValueRemoved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_ENUM_VALUE_REMOVED",
		"Under the additive-only policy an enum value may be removed only after a deprecation that the policy lets expire.")
	ruleProtoAddDeprecatedRemovedEarly = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_DEPRECATED_REMOVED_EARLY",
		"A deprecated element may be removed only once its sunset or the minimum deprecation period has passed and no registered consumer still reads it.")
	ruleProtoAddRemovedNotReserved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_REMOVED_NOT_RESERVED",
		"A removed field or enum value must have its number and its name reserved, so that neither is ever reused.",
		CategoryWire, CategoryWireJSON)
	ruleProtoAddFieldRenamed = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_RENAMED",
		"Under the additive-only policy a field keeps its name.")
	ruleProtoAddFieldRenumbered = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_RENUMBERED",
		"Under the additive-only policy a field keeps its number.")
	ruleProtoAddFieldTypeChanged = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_TYPE_CHANGED",
		"Under the additive-only policy a field keeps its type, even a wire-compatible one.")
	ruleProtoAddFieldLabelChanged = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_LABEL_CHANGED",
		"Under the additive-only policy a field stays repeated, singular or required.")
	ruleProtoAddFieldOneofChanged = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_FIELD_ONEOF_CHANGED",
		"Under the additive-only policy a field does not move into, out of or between oneofs (nor does its oneof get renamed).")
	ruleProtoAddRequiredFieldAdded = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_REQUIRED_FIELD_ADDED",
		"Under the additive-only policy a field added to an existing message is never required.")
	ruleProtoAddEnumValueRenamed = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_ENUM_VALUE_RENAMED",
		"Under the additive-only policy an enum value keeps its name.")
	ruleProtoAddEnumValueRenumbered = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_ENUM_VALUE_RENUMBERED",
		"Under the additive-only policy an enum value keeps its number.")
	ruleProtoAddReservedRemoved = newAdditiveRule(schema.Protobuf, "PROTO_ADDITIVE_RESERVED_REMOVED",
		"A reserved number or name stays reserved: dropping a reservation allows reusing what old data still carries.",
		CategoryWire, CategoryWireJSON)
)

// protoAdditive applies the additive-only policy to the latest live
// version (old) and the new schema.
type protoAdditive struct {
	st       *stopper
	old, new *pbModel
	history  []Version
	policy   Policy
	version  int
	// marks holds the deprecations seen in the history, built on demand.
	marks    map[string]deprecationMark
	findings []Finding
}

func (a *protoAdditive) report(r Rule, path, oldPath, newPath, msg string) {
	a.st.tick()
	f := Finding{
		RuleID:    r.ID,
		Severity:  r.Severity,
		Path:      path,
		Message:   msg,
		Version:   a.version,
		Direction: DirPolicy,
	}
	if oldPath != "" {
		f.Old = a.old.pos(oldPath)
	}
	if newPath != "" {
		f.New = a.new.pos(newPath)
	} else {
		// A removed element: point at what held it in the new schema.
		f.New = nearestPos(a.new.s, path)
	}
	markEnclosing(&f, a.new.s)
	a.findings = append(a.findings, f)
}

func (a *protoAdditive) run() {
	for _, p := range pbPairMessages(a.old, a.new) {
		a.st.tick()
		switch {
		case p.old != nil && p.new == nil:
			if a.parentRemoved(p.old.d) {
				continue
			}
			a.removal(ruleProtoAddMessageRemoved, "message", p.old.path, nil)
		case p.old != nil && p.new != nil:
			a.compareMessage(p.old, p.new)
		}
	}
	for _, p := range pbPairEnums(a.old, a.new) {
		switch {
		case p.old != nil && p.new == nil:
			if a.parentRemoved(p.old.d) {
				continue
			}
			a.removal(ruleProtoAddEnumRemoved, "enum", p.old.path, nil)
		case p.old != nil && p.new != nil:
			a.compareEnum(p.old, p.new)
		}
	}
}

// parentRemoved reports whether d is nested in a message that the new
// schema no longer has; the parent's removal is reported instead.
func (a *protoAdditive) parentRemoved(d protoreflect.Descriptor) bool {
	parent, ok := d.Parent().(protoreflect.MessageDescriptor)
	return ok && a.new.messages[pbRelName(parent)] == nil
}

func (a *protoAdditive) compareMessage(om, nm *pbMessage) {
	renumbered := map[protoreflect.Name]bool{}
	for _, n := range om.numbers {
		of := om.fields[n]
		if nf := nm.byName[of.d.Name()]; nf != nil && nf.d.Number() != n {
			renumbered[of.d.Name()] = true
			a.report(ruleProtoAddFieldRenumbered, nf.path, of.path, nf.path,
				fmt.Sprintf("field %s changed number from %d to %d; existing data under number %d would no longer be read", of.d.Name(), n, nf.d.Number(), n))
		}
	}
	for _, n := range pbFieldNumbers(om, nm) {
		of, nf := om.fields[n], nm.fields[n]
		switch {
		case of != nil && nf == nil:
			if renumbered[of.d.Name()] {
				continue
			}
			a.removal(ruleProtoAddFieldRemoved, "field", of.path, func() []string {
				return pbMissingFieldReservations(nm.d, n, of.d.Name())
			})
		case of == nil && nf != nil:
			if nf.d.Cardinality() == protoreflect.Required && !renumbered[nf.d.Name()] {
				a.report(ruleProtoAddRequiredFieldAdded, nf.path, "", nf.path,
					fmt.Sprintf("new field %s (number %d) is required; data written with version %d lacks it, so add it as optional instead", nf.d.Name(), n, a.version))
			}
		default:
			a.compareField(of, nf)
		}
	}
	if om.d.ReservedRanges().Len() == 0 && om.d.ReservedNames().Len() == 0 {
		return
	}
	if missing := pbLostReservations(
		pbFieldReservedRanges(om.d), pbFieldReservedRanges(nm.d),
		om.d.ReservedNames(), nm.d.ReservedNames()); len(missing) > 0 {
		a.report(ruleProtoAddReservedRemoved, nm.path, om.path, nm.path,
			fmt.Sprintf("message %s no longer reserves %s, which version %d reserved", nm.d.Name(), strings.Join(missing, ", "), a.version))
	}
}

func (a *protoAdditive) compareField(of, nf *pbField) {
	n := of.d.Number()
	if of.d.Name() != nf.d.Name() {
		a.report(ruleProtoAddFieldRenamed, nf.path, of.path, nf.path,
			fmt.Sprintf("field number %d was renamed from %s to %s; add a new field and deprecate the old one instead", n, of.d.Name(), nf.d.Name()))
	}
	if ot, nt := pbTypeKey(of.d), pbTypeKey(nf.d); ot != nt {
		a.report(ruleProtoAddFieldTypeChanged, nf.path, of.path, nf.path,
			fmt.Sprintf("field %s (number %d) changed type from %s to %s", nf.d.Name(), n, pbTypeName(of.d), pbTypeName(nf.d)))
	} else if ol, nl := pbLabelName(of.d), pbLabelName(nf.d); ol != nl {
		a.report(ruleProtoAddFieldLabelChanged, nf.path, of.path, nf.path,
			fmt.Sprintf("field %s (number %d) changed from %s to %s", nf.d.Name(), n, ol, nl))
	}
	if of.oneof != nf.oneof {
		a.report(ruleProtoAddFieldOneofChanged, nf.path, of.path, nf.path,
			fmt.Sprintf("field %s (number %d) moved from %s to %s", nf.d.Name(), n, pbOneofText(of.oneof), pbOneofText(nf.oneof)))
	}
}

func pbOneofText(name protoreflect.Name) string {
	if name == "" {
		return "outside any oneof"
	}
	return "oneof " + string(name)
}

func (a *protoAdditive) compareEnum(oe, ne *pbEnum) {
	vs := oe.d.Values()
	for i := range vs.Len() {
		ov := vs.Get(i)
		path := pbEnumValuePath(oe, ov)
		if nv := ne.byName[ov.Name()]; nv != nil {
			if nv.Number() != ov.Number() {
				a.report(ruleProtoAddEnumValueRenumbered, pbEnumValuePath(ne, nv), path, pbEnumValuePath(ne, nv),
					fmt.Sprintf("enum value %s changed number from %d to %d; existing data carrying %d would no longer mean %s", ov.Name(), ov.Number(), nv.Number(), ov.Number(), ov.Name()))
			}
			continue
		}
		if nv := ne.byNum[ov.Number()]; nv != nil && oe.byNum[ov.Number()] == ov {
			a.report(ruleProtoAddEnumValueRenamed, pbEnumValuePath(ne, nv), path, pbEnumValuePath(ne, nv),
				fmt.Sprintf("enum value number %d was renamed from %s to %s; add the new name as an alias (option allow_alias) and deprecate the old one instead", ov.Number(), ov.Name(), nv.Name()))
			continue
		}
		n, name := ov.Number(), ov.Name()
		a.removal(ruleProtoAddEnumValueRemoved, "enum value", path, func() []string {
			if ne.byNum[n] != nil {
				// The number lives on as an alias; only the name needs reserving.
				return pbMissingNames(ne.d.ReservedNames(), name)
			}
			return append(pbMissingNumbers(pbEnumReservedRanges(ne.d), int64(n)), pbMissingNames(ne.d.ReservedNames(), name)...)
		})
	}
	if missing := pbLostReservations(
		pbEnumReservedRanges(oe.d), pbEnumReservedRanges(ne.d),
		oe.d.ReservedNames(), ne.d.ReservedNames()); len(missing) > 0 {
		a.report(ruleProtoAddReservedRemoved, ne.path, oe.path, ne.path,
			fmt.Sprintf("enum %s no longer reserves %s, which version %d reserved", ne.d.Name(), strings.Join(missing, ", "), a.version))
	}
}

// removal judges the removal of the element at path (in the old schema).
// missing, when set, lists the reservations the new schema lacks for it.
func (a *protoAdditive) removal(r Rule, kind, path string, missing func() []string) {
	mark, ok := a.deprecation(path)
	if !ok {
		hint := "mark it deprecated first and remove it once the deprecation period is over"
		if missing != nil {
			hint += ", reserving its number and name"
		}
		a.report(r, path, path, "",
			fmt.Sprintf("%s %s was removed but was never marked deprecated; %s", kind, path, hint))
		return
	}
	if ok, why := a.policy.Removable(mark.dep, mark.since); !ok {
		a.report(ruleProtoAddDeprecatedRemovedEarly, path, path, "",
			fmt.Sprintf("deprecated %s %s cannot be removed yet: %s", kind, path, why))
		return
	}
	if missing == nil {
		return
	}
	if m := missing(); len(m) > 0 {
		pronoun := "it"
		if len(m) > 1 {
			pronoun = "them"
		}
		a.report(ruleProtoAddRemovedNotReserved, path, path, "",
			fmt.Sprintf("deprecated %s %s was removed, but the new schema does not reserve its %s; reserve %s so that old data is never misread", kind, path, strings.Join(m, " and "), pronoun))
	}
}

// deprecation finds the marker for path: the first live version carrying
// it dates it, the latest one gives its details; deprecations recorded by
// the registry count as well, and give the sunset when the marker has none.
func (a *protoAdditive) deprecation(path string) (deprecationMark, bool) {
	if a.marks == nil {
		a.marks = deprecationMarks(a.history, a.policy.Deprecations)
		for _, rd := range a.policy.Deprecations {
			if m := a.marks[rd.Path]; m.dep.Sunset.IsZero() {
				m.dep.Sunset = rd.Sunset
				a.marks[rd.Path] = m
			}
		}
	}
	m, ok := a.marks[path]
	return m, ok
}

// pbTypeKey identifies a field's type for equality, with message and enum
// names relative to their package.
func pbTypeKey(fd protoreflect.FieldDescriptor) string {
	switch {
	case fd.IsMap():
		return "map<" + pbTypeKey(fd.MapKey()) + "," + pbTypeKey(fd.MapValue()) + ">"
	case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
		return fd.Kind().String() + " " + pbRelName(fd.Message())
	case fd.Kind() == protoreflect.EnumKind:
		return "enum " + pbRelName(fd.Enum())
	}
	return fd.Kind().String()
}

// pbNumberRange is an inclusive range of reserved numbers.
type pbNumberRange struct{ start, end int64 }

func pbFieldReservedRanges(md protoreflect.MessageDescriptor) []pbNumberRange {
	rs := md.ReservedRanges()
	out := make([]pbNumberRange, rs.Len())
	for i := range rs.Len() {
		r := rs.Get(i)
		out[i] = pbNumberRange{int64(r[0]), int64(r[1]) - 1} // end exclusive
	}
	return out
}

func pbEnumReservedRanges(ed protoreflect.EnumDescriptor) []pbNumberRange {
	rs := ed.ReservedRanges()
	out := make([]pbNumberRange, rs.Len())
	for i := range rs.Len() {
		r := rs.Get(i)
		out[i] = pbNumberRange{int64(r[0]), int64(r[1])} // end inclusive
	}
	return out
}

// pbMissingFieldReservations lists what md lacks to reserve a removed field.
func pbMissingFieldReservations(md protoreflect.MessageDescriptor, n protoreflect.FieldNumber, name protoreflect.Name) []string {
	return append(pbMissingNumbers(pbFieldReservedRanges(md), int64(n)), pbMissingNames(md.ReservedNames(), name)...)
}

func pbMissingNumbers(rs []pbNumberRange, n int64) []string {
	for _, r := range rs {
		if r.start <= n && n <= r.end {
			return nil
		}
	}
	return []string{fmt.Sprintf("number %d", n)}
}

func pbMissingNames(names protoreflect.Names, name protoreflect.Name) []string {
	if names.Has(name) {
		return nil
	}
	return []string{fmt.Sprintf("name %q", name)}
}

// pbLostReservations lists the old reserved ranges and names that the new
// reservations no longer cover.
func pbLostReservations(oldRanges, newRanges []pbNumberRange, oldNames, newNames protoreflect.Names) []string {
	var out []string
	newRanges = slices.Clone(newRanges)
	slices.SortFunc(newRanges, func(a, b pbNumberRange) int { return cmp.Compare(a.start, b.start) })
	for _, r := range oldRanges {
		if !pbCovered(r, newRanges) {
			if r.start == r.end {
				out = append(out, fmt.Sprintf("number %d", r.start))
			} else {
				out = append(out, fmt.Sprintf("numbers %d to %d", r.start, r.end))
			}
		}
	}
	for i := range oldNames.Len() {
		if n := oldNames.Get(i); !newNames.Has(n) {
			out = append(out, fmt.Sprintf("name %q", n))
		}
	}
	return out
}

// pbCovered reports whether sorted ranges rs cover every number of r.
func pbCovered(r pbNumberRange, rs []pbNumberRange) bool {
	next := r.start
	for _, x := range rs {
		if x.start > next {
			break
		}
		if x.end >= next {
			next = x.end + 1
		}
		if next > r.end {
			return true
		}
	}
	return next > r.end
}
