package compat

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	hamba "github.com/hamba/avro/v2"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
)

// avroDelta is one difference between an old and a new Avro schema, found
// by pairing their elements once (avroPairer). The additive-only rules and
// the structured diff are both readings of the same deltas.
type avroDelta struct {
	kind ChangeKind
	// element is field, record, enum, fixed, enum_symbol, union_branch,
	// type, name, size, default, enum_default, doc or deprecation.
	element          string
	oldPath, newPath string
	oldVal, newVal   string
	// renamed marks a field or named type matched through an alias.
	renamed bool
	// hasDefault: for an added field, whether it has a default; for an
	// added enum symbol, whether the old enum had a default.
	hasDefault bool
}

// avroPairer pairs old and new elements without a reader/writer
// direction: named types by full name, then by the new type's aliases;
// fields by name, then by the new field's aliases; enum symbols by name;
// union branches by type (full name for named types).
type avroPairer struct {
	st       *stopper
	old, new *avro.Schema
	visited  map[[2]string]bool
	deltas   []avroDelta
}

// avroDeltas pairs o and n and returns their differences in walk order.
func avroDeltas(st *stopper, o, n *avro.Schema) []avroDelta {
	p := &avroPairer{st: st, old: o, new: n, visited: map[[2]string]bool{}}
	p.pair(o.Root(), n.Root(), avro.RootPath(o.Root()), avro.RootPath(n.Root()))
	p.namedTypes()
	p.deprecations()
	return p.deltas
}

func (p *avroPairer) add(d avroDelta) {
	p.st.tick()
	p.deltas = append(p.deltas, d)
}

func (p *avroPairer) pair(o, n hamba.Schema, op, np string) {
	p.st.tick()
	o, n = deref(o), deref(n)
	ou, oIsUnion := o.(*hamba.UnionSchema)
	nu, nIsUnion := n.(*hamba.UnionSchema)
	switch {
	case oIsUnion && nIsUnion:
		p.branches(ou.Types(), nu.Types(), op, np)
		return
	case oIsUnion != nIsUnion:
		p.unionChange(o, n, op, np)
		return
	}
	if o.Type() != n.Type() {
		p.add(avroDelta{kind: Changed, element: "type", oldPath: op, newPath: np, oldVal: typeDesc(o), newVal: typeDesc(n)})
		return
	}
	switch ot := o.(type) {
	case *hamba.RecordSchema:
		nt := n.(*hamba.RecordSchema)
		if !p.sameNamed(ot, nt, op, np) {
			return
		}
		p.doc(ot.Doc(), nt.Doc(), op, np)
		p.fields(ot, nt, op, np)
	case *hamba.EnumSchema:
		nt := n.(*hamba.EnumSchema)
		if !p.sameNamed(ot, nt, op, np) {
			return
		}
		p.doc(ot.Doc(), nt.Doc(), op, np)
		p.symbols(ot, nt, op, np)
	case *hamba.FixedSchema:
		nt := n.(*hamba.FixedSchema)
		if !p.sameNamed(ot, nt, op, np) {
			return
		}
		if ot.Size() != nt.Size() {
			p.add(avroDelta{kind: Changed, element: "size", oldPath: op, newPath: np, oldVal: strconv.Itoa(ot.Size()), newVal: strconv.Itoa(nt.Size())})
			return
		}
		p.logical(o, n, op, np)
	case *hamba.ArraySchema:
		p.pair(ot.Items(), n.(*hamba.ArraySchema).Items(), avro.ItemsPath(op), avro.ItemsPath(np))
	case *hamba.MapSchema:
		p.pair(ot.Values(), n.(*hamba.MapSchema).Values(), avro.ValuesPath(op), avro.ValuesPath(np))
	default:
		p.logical(o, n, op, np)
	}
}

// sameNamed pairs two named types of one kind. It reports false when they
// are different types (neither the same full name nor an alias), after
// recording the change, and when the pair was already walked.
func (p *avroPairer) sameNamed(o, n hamba.NamedSchema, op, np string) bool {
	switch {
	case o.FullName() == n.FullName():
	case slices.Contains(n.Aliases(), o.FullName()):
		p.add(avroDelta{kind: Changed, element: "name", oldPath: op, newPath: np, oldVal: o.FullName(), newVal: n.FullName(), renamed: true})
	default:
		p.add(avroDelta{kind: Changed, element: "type", oldPath: op, newPath: np, oldVal: typeDesc(o), newVal: typeDesc(n)})
		return false
	}
	key := [2]string{o.FullName(), n.FullName()}
	if p.visited[key] {
		return false
	}
	p.visited[key] = true
	return true
}

// logical records a change of logical type (decimal precision and scale
// included) between two types of the same underlying type.
func (p *avroPairer) logical(o, n hamba.Schema, op, np string) {
	if od, nd := typeDesc(o), typeDesc(n); od != nd {
		p.add(avroDelta{kind: Changed, element: "type", oldPath: op, newPath: np, oldVal: od, newVal: nd})
	}
}

func (p *avroPairer) doc(o, n, op, np string) {
	if o != n {
		p.add(avroDelta{kind: Changed, element: "doc", oldPath: op, newPath: np, oldVal: o, newVal: n})
	}
}

func (p *avroPairer) branches(os, ns []hamba.Schema, op, np string) {
	matched := make([]bool, len(ns))
	for _, ob := range os {
		obp := avro.BranchPath(op, avro.BranchLabel(ob))
		j := slices.IndexFunc(ns, func(nb hamba.Schema) bool { return branchesPair(ob, nb) })
		if j < 0 {
			p.add(avroDelta{kind: Removed, element: "union_branch", oldPath: obp, newPath: np, oldVal: typeDesc(ob)})
			continue
		}
		matched[j] = true
		p.pair(ob, ns[j], obp, avro.BranchPath(np, avro.BranchLabel(ns[j])))
	}
	for j, nb := range ns {
		if !matched[j] {
			p.add(avroDelta{kind: Added, element: "union_branch", oldPath: op, newPath: avro.BranchPath(np, avro.BranchLabel(nb)), newVal: typeDesc(nb)})
		}
	}
}

// unionChange pairs a type with a union on the other side: a type that
// became a union keeps its identity as one branch (the others are added),
// and a union that became one of its branches lost the others. With no
// such branch the type simply changed.
func (p *avroPairer) unionChange(o, n hamba.Schema, op, np string) {
	if nu, ok := n.(*hamba.UnionSchema); ok {
		j := slices.IndexFunc(nu.Types(), func(nb hamba.Schema) bool { return branchesPair(o, nb) })
		if j < 0 {
			p.add(avroDelta{kind: Changed, element: "type", oldPath: op, newPath: np, oldVal: typeDesc(o), newVal: typeDesc(n)})
			return
		}
		for i, nb := range nu.Types() {
			bp := avro.BranchPath(np, avro.BranchLabel(nb))
			if i == j {
				p.pair(o, nb, op, bp)
				continue
			}
			p.add(avroDelta{kind: Added, element: "union_branch", oldPath: op, newPath: bp, newVal: typeDesc(nb)})
		}
		return
	}
	ou := o.(*hamba.UnionSchema)
	j := slices.IndexFunc(ou.Types(), func(ob hamba.Schema) bool { return branchesPair(ob, n) })
	if j < 0 {
		p.add(avroDelta{kind: Changed, element: "type", oldPath: op, newPath: np, oldVal: typeDesc(o), newVal: typeDesc(n)})
		return
	}
	for i, ob := range ou.Types() {
		bp := avro.BranchPath(op, avro.BranchLabel(ob))
		if i == j {
			p.pair(ob, n, bp, np)
			continue
		}
		p.add(avroDelta{kind: Removed, element: "union_branch", oldPath: bp, newPath: np, oldVal: typeDesc(ob)})
	}
}

// branchesPair reports whether two union branches are the same element:
// the same type key, or a named type renamed with an alias.
func branchesPair(o, n hamba.Schema) bool {
	if typeKey(o) == typeKey(n) {
		return true
	}
	on, ok1 := deref(o).(hamba.NamedSchema)
	nn, ok2 := deref(n).(hamba.NamedSchema)
	return ok1 && ok2 && o.Type() == n.Type() && slices.Contains(nn.Aliases(), on.FullName())
}

func (p *avroPairer) fields(o, n *hamba.RecordSchema, op, np string) {
	matched := make(map[string]bool, len(n.Fields()))
	// Index the new fields once, by name and then by alias (the first field
	// claiming an alias wins), so pairing is linear in the fields.
	byName := make(map[string]*hamba.Field, len(n.Fields()))
	byAlias := map[string]*hamba.Field{}
	for _, f := range n.Fields() {
		byName[f.Name()] = f
		for _, a := range f.Aliases() {
			if _, ok := byAlias[a]; !ok {
				byAlias[a] = f
			}
		}
	}
	for _, of := range o.Fields() {
		nf, renamed := byName[of.Name()], false
		if nf == nil {
			nf = byAlias[of.Name()]
			renamed = nf != nil
		}
		ofp := avro.FieldPath(op, of.Name())
		if nf == nil {
			p.add(avroDelta{kind: Removed, element: "field", oldPath: ofp, newPath: np, oldVal: of.Name()})
			continue
		}
		matched[nf.Name()] = true
		nfp := avro.FieldPath(np, nf.Name())
		if renamed {
			p.add(avroDelta{kind: Changed, element: "field", oldPath: ofp, newPath: nfp, oldVal: of.Name(), newVal: nf.Name(), renamed: true})
		}
		p.pair(of.Type(), nf.Type(), ofp, nfp)
		p.fieldDefault(of, nf, ofp, nfp)
		p.doc(of.Doc(), nf.Doc(), ofp, nfp)
	}
	for _, nf := range n.Fields() {
		if !matched[nf.Name()] {
			p.add(avroDelta{kind: Added, element: "field", oldPath: op, newPath: avro.FieldPath(np, nf.Name()), newVal: nf.Name(), hasDefault: nf.HasDefault()})
		}
	}
}

func (p *avroPairer) fieldDefault(o, n *hamba.Field, op, np string) {
	switch {
	case !o.HasDefault() && n.HasDefault():
		p.add(avroDelta{kind: Added, element: "default", oldPath: op, newPath: np, newVal: defaultJSON(n.Default())})
	case o.HasDefault() && !n.HasDefault():
		p.add(avroDelta{kind: Removed, element: "default", oldPath: op, newPath: np, oldVal: defaultJSON(o.Default())})
	case o.HasDefault() && !reflect.DeepEqual(o.Default(), n.Default()):
		p.add(avroDelta{kind: Changed, element: "default", oldPath: op, newPath: np, oldVal: defaultJSON(o.Default()), newVal: defaultJSON(n.Default())})
	}
}

func (p *avroPairer) symbols(o, n *hamba.EnumSchema, op, np string) {
	oldSyms, newSyms := symbolSet(o.Symbols()), symbolSet(n.Symbols())
	for _, s := range o.Symbols() {
		if !newSyms[s] {
			p.add(avroDelta{kind: Removed, element: "enum_symbol", oldPath: avro.SymbolPath(op, s), newPath: np, oldVal: s})
		}
	}
	for _, s := range n.Symbols() {
		if !oldSyms[s] {
			p.add(avroDelta{kind: Added, element: "enum_symbol", oldPath: op, newPath: avro.SymbolPath(np, s), newVal: s, hasDefault: o.HasDefault()})
		}
	}
	if o.Default() != n.Default() {
		d := avroDelta{kind: Changed, element: "enum_default", oldPath: op, newPath: np, oldVal: o.Default(), newVal: n.Default()}
		switch {
		case !o.HasDefault():
			d.kind = Added
		case !n.HasDefault():
			d.kind = Removed
		}
		p.add(d)
	}
}

// symbolSet indexes enum symbols for membership tests.
func symbolSet(symbols []string) map[string]bool {
	set := make(map[string]bool, len(symbols))
	for _, s := range symbols {
		set[s] = true
	}
	return set
}

// namedTypes records named types that exist on one side only. A type
// renamed with an alias is not removed.
func (p *avroPairer) namedTypes() {
	olds, news := collectNamed(p.old.Root()), collectNamed(p.new.Root())
	aliased := map[string]bool{}
	for _, nt := range news {
		for _, a := range nt.schema.Aliases() {
			aliased[a] = true
		}
	}
	for _, name := range sortedByPath(olds) {
		ot := olds[name]
		if _, ok := news[name]; !ok && !aliased[name] {
			p.add(avroDelta{kind: Removed, element: namedKind(ot.schema), oldPath: ot.path, oldVal: name})
		}
	}
	for _, name := range sortedByPath(news) {
		nt := news[name]
		if _, ok := olds[name]; ok {
			continue
		}
		renamed := false
		for _, a := range nt.schema.Aliases() {
			if _, ok := olds[a]; ok {
				renamed = true
			}
		}
		if !renamed {
			p.add(avroDelta{kind: Added, element: namedKind(nt.schema), newPath: nt.path, newVal: name})
		}
	}
}

// deprecations records deprecation markers added, removed or changed,
// matched by path.
func (p *avroPairer) deprecations() {
	olds := map[string]schema.Deprecation{}
	for _, d := range p.old.Deprecations() {
		olds[d.Path] = d
	}
	seen := map[string]bool{}
	for _, d := range p.new.Deprecations() {
		seen[d.Path] = true
		od, ok := olds[d.Path]
		switch {
		case !ok:
			p.add(avroDelta{kind: Added, element: "deprecation", newPath: d.Path, oldPath: d.Path, newVal: describeDeprecation(d)})
		case describeDeprecation(od) != describeDeprecation(d):
			p.add(avroDelta{kind: Changed, element: "deprecation", oldPath: d.Path, newPath: d.Path, oldVal: describeDeprecation(od), newVal: describeDeprecation(d)})
		}
	}
	for _, d := range p.old.Deprecations() {
		if !seen[d.Path] {
			p.add(avroDelta{kind: Removed, element: "deprecation", oldPath: d.Path, newPath: d.Path, oldVal: describeDeprecation(d)})
		}
	}
}

func describeDeprecation(d schema.Deprecation) string {
	parts := []string{"deprecated"}
	if d.Reason != "" {
		parts = append(parts, fmt.Sprintf("reason=%q", d.Reason))
	}
	if !d.Sunset.IsZero() {
		parts = append(parts, "sunset="+d.Sunset.Format("2006-01-02"))
	}
	if d.Replacement != "" {
		parts = append(parts, "replacement="+d.Replacement)
	}
	return strings.Join(parts, " ")
}

// namedAt is a named type and the path where it is first reached.
type namedAt struct {
	schema hamba.NamedSchema
	path   string
	order  int
}

// collectNamed returns the named types reachable from root, by full name.
func collectNamed(root hamba.Schema) map[string]namedAt {
	out := map[string]namedAt{}
	var walk func(s hamba.Schema, path string)
	walk = func(s hamba.Schema, path string) {
		s = deref(s)
		if n, ok := s.(hamba.NamedSchema); ok {
			if _, seen := out[n.FullName()]; seen {
				return
			}
			out[n.FullName()] = namedAt{schema: n, path: path, order: len(out)}
		}
		switch t := s.(type) {
		case *hamba.RecordSchema:
			for _, f := range t.Fields() {
				walk(f.Type(), avro.FieldPath(path, f.Name()))
			}
		case *hamba.ArraySchema:
			walk(t.Items(), avro.ItemsPath(path))
		case *hamba.MapSchema:
			walk(t.Values(), avro.ValuesPath(path))
		case *hamba.UnionSchema:
			for _, b := range t.Types() {
				walk(b, avro.BranchPath(path, avro.BranchLabel(b)))
			}
		}
	}
	walk(root, avro.RootPath(root))
	return out
}

// sortedByPath returns the names of m in walk order.
func sortedByPath(m map[string]namedAt) []string {
	names := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(names, func(a, b string) int { return m[a].order - m[b].order })
	return names
}

// defaultJSON renders a default value as decoded by the Avro library in
// JSON, with bytes and fixed values as Avro's code-point strings.
func defaultJSON(v any) string {
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func jsonable(v any) any {
	switch t := v.(type) {
	case []byte:
		r := make([]rune, len(t))
		for i, c := range t {
			r[i] = rune(c)
		}
		return string(r)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonable(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = jsonable(e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Array && rv.Type().Elem().Kind() == reflect.Uint8 {
		b := make([]byte, rv.Len())
		reflect.Copy(reflect.ValueOf(b), rv)
		return jsonable(b)
	}
	return v
}
