package compat

import (
	"fmt"
	"slices"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema/avro"
)

// avroResolver applies the specification's schema-resolution rules to one
// reader/writer pair of schemas. It walks both trees together, pairing
// fields by name and reader aliases, named types by name and reader
// aliases, and union branches by the rules below, and reports each
// mismatch once, at the first path where it is reached.
type avroResolver struct {
	st      *stopper
	dir     Direction
	version int
	old     *avro.Schema
	new     *avro.Schema
	// visited holds the named-type pairs (reader, writer full names)
	// already resolved; recursive types stop here.
	visited map[[2]string]bool
	// parent is the resolver a scratch resolver tests readability for.
	// Pairs the parent has entered count as entered: they are being
	// resolved (a recursive type) or were reported already.
	parent *avroResolver
	// rp and wp are the paths of the reader's and the writer's element
	// being resolved, kept as segment stacks and rendered only for
	// findings: most pairs produce none.
	rp, wp pathStack
	out    []Finding
}

// resolve checks that data written with wr can be read with rd, at the
// current paths r.rp and r.wp.
func (r *avroResolver) resolve(rd, wr hamba.Schema) {
	r.st.tick()
	rd, wr = deref(rd), deref(wr)
	if wu, ok := wr.(*hamba.UnionSchema); ok {
		for _, wb := range wu.Types() {
			r.wp.push(segBranch, avro.BranchLabel(wb))
			switch ru, ok := rd.(*hamba.UnionSchema); {
			case ok:
				r.readWithUnion(ru, wb, ruleAvroUnionBranchMissing)
			case r.readable(rd, wb):
			case shallowMatch(rd, wb):
				r.resolve(rd, wb)
			default:
				r.report(ruleAvroUnionBranchMissing, r.branchMissing(avro.BranchLabel(wb), rd))
			}
			r.wp.pop()
		}
		return
	}
	if ru, ok := rd.(*hamba.UnionSchema); ok {
		r.readWithUnion(ru, wr, ruleAvroReaderUnionMissingType)
		return
	}
	switch rt := rd.(type) {
	case *hamba.RecordSchema:
		if wt, ok := writerAs[*hamba.RecordSchema](r, rd, wr); ok && r.enter(rt, wt) {
			r.namesMatch(rt, wt)
			r.record(rt, wt)
		}
	case *hamba.EnumSchema:
		if wt, ok := writerAs[*hamba.EnumSchema](r, rd, wr); ok && r.enter(rt, wt) {
			r.namesMatch(rt, wt)
			r.enum(rt, wt)
		}
	case *hamba.FixedSchema:
		wt, ok := writerAs[*hamba.FixedSchema](r, rd, wr)
		if !ok || !r.enter(rt, wt) {
			return
		}
		r.namesMatch(rt, wt)
		if rt.Size() != wt.Size() {
			o, n := r.oldNew(rt.Size(), wt.Size())
			r.report(ruleAvroFixedSizeChanged, fmt.Sprintf("fixed `%s` changed size from %d to %d bytes", rt.FullName(), o, n))
			return
		}
		r.decimal(rd, wr)
	case *hamba.ArraySchema:
		if wt, ok := writerAs[*hamba.ArraySchema](r, rd, wr); ok {
			r.descend(segItems, "", "", rt.Items(), wt.Items())
		}
	case *hamba.MapSchema:
		if wt, ok := writerAs[*hamba.MapSchema](r, rd, wr); ok {
			r.descend(segValues, "", "", rt.Values(), wt.Values())
		}
	default: // primitives
		if rd.Type() == wr.Type() {
			r.decimal(rd, wr)
			return
		}
		if !promotes(wr.Type(), rd.Type()) {
			r.typeMismatch(rd, wr)
		}
	}
}

// writerAs returns the writer wr as the reader's kind T. When wr is of
// another kind, the pair cannot resolve: it reports the type mismatch and
// returns false.
func writerAs[T hamba.Schema](r *avroResolver, rd, wr hamba.Schema) (T, bool) {
	wt, ok := wr.(T)
	if !ok {
		r.typeMismatch(rd, wr)
	}
	return wt, ok
}

// descend resolves reader element rd against writer element wr, one
// segment of kind seg (named rname and wname on each side) below the
// current paths.
func (r *avroResolver) descend(seg segKind, rname, wname string, rd, wr hamba.Schema) {
	r.rp.push(seg, rname)
	r.wp.push(seg, wname)
	r.resolve(rd, wr)
	r.rp.pop()
	r.wp.pop()
}

// enter marks a named pair as being resolved; it reports false when the
// pair was already reached, so that each pair is checked once and
// recursive types terminate.
func (r *avroResolver) enter(rd, wr hamba.NamedSchema) bool {
	key := [2]string{rd.FullName(), wr.FullName()}
	for a := r; a != nil; a = a.parent {
		if a.visited[key] {
			return false
		}
	}
	if r.visited == nil {
		r.visited = map[[2]string]bool{}
	}
	r.visited[key] = true
	return true
}

// readWithUnion resolves a writer type against a reader union: the writer
// type is readable if some branch resolves without error (as Avro Java's
// SchemaCompatibility decides). Otherwise, the first branch that matches
// by kind and name is resolved to explain why; failing that, rule reports
// the missing branch.
func (r *avroResolver) readWithUnion(ru *hamba.UnionSchema, wr hamba.Schema, rule Rule) {
	for _, rb := range ru.Types() {
		if r.readable(rb, wr) {
			return
		}
	}
	for _, rb := range ru.Types() {
		if shallowMatch(rb, wr) {
			r.rp.push(segBranch, avro.BranchLabel(rb))
			r.resolve(rb, wr)
			r.rp.pop()
			return
		}
	}
	if rule.ID == ruleAvroUnionBranchMissing.ID {
		r.report(rule, r.branchMissing(avro.BranchLabel(wr), ru))
		return
	}
	var msg string
	if r.dir == DirForward {
		msg = fmt.Sprintf("its type changed to %s, and none of the branches of version %d's union %s can read it", typeDesc(wr), r.version, typeDesc(ru))
	} else {
		msg = fmt.Sprintf("its type changed from %s to the union %s, which has no branch that can read it", typeDesc(wr), typeDesc(ru))
	}
	r.report(rule, msg)
}

// readable reports whether rd reads wr with no finding at all, resolving
// in a scratch resolver whose findings are discarded.
func (r *avroResolver) readable(rd, wr hamba.Schema) bool {
	rd, wr = deref(rd), deref(wr)
	if isPrimitive(rd) && isPrimitive(wr) { // the common case, without a scratch walk
		if rd.Type() != wr.Type() {
			return promotes(wr.Type(), rd.Type())
		}
		rdec, wdec := decimalOf(rd), decimalOf(wr)
		return rdec == nil || wdec == nil || (rdec.Precision() == wdec.Precision() && rdec.Scale() == wdec.Scale())
	}
	scratch := &avroResolver{st: r.st, dir: r.dir, version: r.version, old: r.old, new: r.new, parent: r}
	scratch.resolve(rd, wr)
	return len(scratch.out) == 0
}

func (r *avroResolver) branchMissing(label string, rd hamba.Schema) string {
	if r.dir == DirForward {
		return fmt.Sprintf("the new schema's union branch `%s` cannot be read by version %d's type %s", label, r.version, typeDesc(rd))
	}
	return fmt.Sprintf("version %d's union branch `%s` cannot be read by the new type %s", r.version, label, typeDesc(rd))
}

// shallowMatch is the specification's "match" used to pick a union branch:
// the same primitive type or a promotion of it, or the same kind of named
// type with a matching name, or both arrays, or both maps.
func shallowMatch(rd, wr hamba.Schema) bool {
	rd, wr = deref(rd), deref(wr)
	if rd.Type() != wr.Type() {
		return promotes(wr.Type(), rd.Type())
	}
	rn, rok := rd.(hamba.NamedSchema)
	wn, wok := wr.(hamba.NamedSchema)
	if rok && wok {
		return namesMatch(rn, wn)
	}
	return true
}

// namesMatch applies the specification's and Avro Java's naming rule: the
// same full or unqualified name, or a reader alias naming the writer.
func namesMatch(rd, wr hamba.NamedSchema) bool {
	return rd.FullName() == wr.FullName() || rd.Name() == wr.Name() || slices.Contains(rd.Aliases(), wr.FullName())
}

func (r *avroResolver) namesMatch(rd, wr hamba.NamedSchema) bool {
	if namesMatch(rd, wr) {
		return true
	}
	kind := namedKind(rd)
	var msg string
	if r.dir == DirForward {
		msg = fmt.Sprintf("%s `%s` was renamed to `%s`, a name version %d does not know", kind, rd.FullName(), wr.FullName(), r.version)
	} else {
		msg = fmt.Sprintf("%s `%s` was renamed to `%s` without listing %q among its aliases", kind, wr.FullName(), rd.FullName(), wr.FullName())
	}
	r.report(ruleAvroNameMismatch, msg)
	return false
}

// isPrimitive reports whether s is a primitive type (null included).
func isPrimitive(s hamba.Schema) bool {
	switch s.(type) {
	case *hamba.PrimitiveSchema, *hamba.NullSchema:
		return true
	}
	return false
}

// promotes reports whether the specification lets a writer's primitive w
// be read as the reader's primitive rd.
func promotes(w, rd hamba.Type) bool {
	switch w {
	case hamba.Int:
		return rd == hamba.Long || rd == hamba.Float || rd == hamba.Double
	case hamba.Long:
		return rd == hamba.Float || rd == hamba.Double
	case hamba.Float:
		return rd == hamba.Double
	case hamba.String:
		return rd == hamba.Bytes
	case hamba.Bytes:
		return rd == hamba.String
	}
	return false
}

func (r *avroResolver) record(rd, wr *hamba.RecordSchema) {
	wfs := wr.Fields()
	var byName map[string]*hamba.Field // built on the first out-of-order field
	for i, rf := range rd.Fields() {
		if i < len(wfs) && wfs[i].Name() == rf.Name() {
			// Fields usually keep their order: the common case needs no index.
			r.field(rf, wfs[i])
			continue
		}
		if byName == nil {
			byName = make(map[string]*hamba.Field, len(wfs))
			for _, wf := range wfs {
				byName[wf.Name()] = wf
			}
		}
		wf := writerField(byName, rf)
		if wf == nil {
			if !rf.HasDefault() {
				var msg string
				if r.dir == DirForward {
					msg = fmt.Sprintf("field `%s` was removed, and version %d has no default for it", rf.Name(), r.version)
				} else {
					msg = fmt.Sprintf("field `%s` was added without a default", rf.Name())
				}
				// The field exists only on the reader's side: show its path.
				r.rp.push(segField, rf.Name())
				fp := r.rp.String()
				r.rp.pop()
				r.reportAt(ruleAvroReaderFieldMissingDefault, fp, r.wp.String(), fp, msg)
			}
			continue
		}
		r.field(rf, wf)
	}
}

// field resolves a reader field against the writer field it reads.
func (r *avroResolver) field(rf, wf *hamba.Field) {
	r.st.tick()
	r.descend(segField, rf.Name(), wf.Name(), rf.Type(), wf.Type())
}

// writerField finds the writer field for reader field rf among the writer
// fields indexed by name: by its name, then by its aliases.
func writerField(byName map[string]*hamba.Field, rf *hamba.Field) *hamba.Field {
	if wf := byName[rf.Name()]; wf != nil {
		return wf
	}
	for _, a := range rf.Aliases() {
		if wf := byName[a]; wf != nil {
			return wf
		}
	}
	return nil
}

func (r *avroResolver) enum(rd, wr *hamba.EnumSchema) {
	var missing []string
	known := symbolSet(rd.Symbols())
	for _, s := range wr.Symbols() {
		if !known[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 || rd.HasDefault() {
		return
	}
	var msg string
	if r.dir == DirForward {
		msg = fmt.Sprintf("enum `%s` gained symbols %s, which version %d does not know and has no enum default to read them as", rd.FullName(), quoteList(missing), r.version)
	} else {
		msg = fmt.Sprintf("enum `%s` lost symbols %s and has no enum default to read them as", rd.FullName(), quoteList(missing))
	}
	rp, wp := r.rp.String(), r.wp.String()
	show := rp
	if r.dir == DirForward {
		show = wp
	}
	r.reportAt(ruleAvroEnumSymbolMissing, rp, avro.SymbolPath(wp, missing[0]), show, msg)
}

// decimal compares decimal logical types; other logical types resolve by
// their underlying type, as the specification says.
func (r *avroResolver) decimal(rd, wr hamba.Schema) {
	rdec, wdec := decimalOf(rd), decimalOf(wr)
	if rdec == nil || wdec == nil {
		return
	}
	if rdec.Precision() != wdec.Precision() {
		o, n := r.oldNew(rdec.Precision(), wdec.Precision())
		r.report(ruleAvroDecimalPrecisionChanged, fmt.Sprintf("decimal precision changed from %d to %d", o, n))
	}
	if rdec.Scale() != wdec.Scale() {
		o, n := r.oldNew(rdec.Scale(), wdec.Scale())
		r.report(ruleAvroDecimalScaleChanged, fmt.Sprintf("decimal scale changed from %d to %d", o, n))
	}
}

func (r *avroResolver) typeMismatch(rd, wr hamba.Schema) {
	o, n := rd, wr
	if r.dir == DirBackward {
		o, n = wr, rd
	}
	r.report(ruleAvroTypeMismatch, fmt.Sprintf("its type changed from %s to %s, and Avro cannot read %s as %s",
		typeDesc(o), typeDesc(n), typeDesc(wr), typeDesc(rd)))
}

// oldNew orders a reader/writer pair of values as old, new.
func (r *avroResolver) oldNew(reader, writer int) (o, n int) {
	if r.dir == DirForward {
		return reader, writer
	}
	return writer, reader
}

// report records a finding on the pair at the current paths, shown at the
// new schema's path.
func (r *avroResolver) report(rule Rule, msg string) {
	rp, wp := r.rp.String(), r.wp.String()
	np := rp
	if r.dir == DirForward {
		np = wp
	}
	r.reportAt(rule, rp, wp, np, msg)
}

// reportAt records a finding shown at path show.
func (r *avroResolver) reportAt(rule Rule, rp, wp, show, msg string) {
	np, op := rp, wp
	if r.dir == DirForward {
		np, op = wp, rp
	}
	var prefix string
	if r.dir == DirForward {
		prefix = fmt.Sprintf("version %d cannot read data written with the new schema: ", r.version)
	} else {
		prefix = fmt.Sprintf("the new schema cannot read data written with version %d: ", r.version)
	}
	f := Finding{
		RuleID:    rule.ID,
		Severity:  rule.Severity,
		Path:      show,
		New:       nearestPos(r.new, np),
		Old:       r.old.Pos(op),
		Message:   prefix + msg,
		Version:   r.version,
		Direction: r.dir,
	}
	markEnclosing(&f, r.new)
	r.out = append(r.out, f)
}

// pathStack is a schema path under construction, one segment per level.
type pathStack []pathSeg

type segKind uint8

const (
	segRoot segKind = iota
	segField
	segItems
	segValues
	segBranch
)

type pathSeg struct {
	kind segKind
	name string
}

func (p *pathStack) push(k segKind, name string) { *p = append(*p, pathSeg{k, name}) }
func (p *pathStack) pop()                        { *p = (*p)[:len(*p)-1] }

// String renders the path in the notation of package schema/avro.
func (p pathStack) String() string {
	var s string
	for _, seg := range p {
		switch seg.kind {
		case segRoot:
			s = seg.name
		case segField:
			s = avro.FieldPath(s, seg.name)
		case segItems:
			s = avro.ItemsPath(s)
		case segValues:
			s = avro.ValuesPath(s)
		case segBranch:
			s = avro.BranchPath(s, seg.name)
		}
	}
	return s
}
