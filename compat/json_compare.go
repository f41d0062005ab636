package compat

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// jsonBudget bounds the subschema comparisons of one check. Combinators
// compare branches pairwise, so hostile nesting of oneOf inside oneOf could
// otherwise take exponential time; when the budget runs out the walk stops
// and reports what it found.
const jsonBudget = 200_000

// jsonSide is a subschema on one side of a comparison, with the value
// whose position to report for it: itself in the schema text, or, inside a
// referenced schema, the "$ref" that led there. Positions are computed only
// for findings.
type jsonSide struct {
	v  *js.Value
	at *js.Value
}

// jsonCmp compares a writer's schema ("orig") with a reader's ("upd"): the
// pair is compatible when every value valid under orig is valid under upd.
// Rules see one matched pair of subschemas at a time.
type jsonCmp struct {
	orig, upd *js.Schema
	// newIsUpd is true in DirBackward, where the new schema reads.
	newIsUpd bool
	version  int
	dir      Direction
	// probe comparisons only answer whether orig ⊆ upd; they stop at the
	// first problem and report nothing.
	probe  bool
	failed bool
	budget *int
	seen   map[[2]*js.Value]bool
	out    []Finding

	origName, updName string
}

// names returns how messages call the writer's and the reader's schema.
func (c *jsonCmp) names() (orig, upd string) {
	if c.origName == "" {
		old := fmt.Sprintf("version %d", c.version)
		c.origName, c.updName = "the new schema", old
		if c.newIsUpd {
			c.origName, c.updName = old, "the new schema"
		}
	}
	return c.origName, c.updName
}

func (c *jsonCmp) report(rule Rule, path string, o, u jsonSide, format string, args ...any) {
	if c.probe {
		c.failed = true
		return
	}
	var prefix string
	if c.dir == DirForward {
		prefix = fmt.Sprintf("version %d does not accept all data valid under the new schema: ", c.version)
	} else {
		prefix = fmt.Sprintf("the new schema does not accept all data valid under version %d: ", c.version)
	}
	f := Finding{
		RuleID:    rule.ID,
		Severity:  rule.Severity,
		Path:      jsDisplayPointer(path),
		Message:   prefix + fmt.Sprintf(format, args...),
		Version:   c.version,
		Direction: c.dir,
	}
	opos, upos := c.orig.PosOf(o.at), c.upd.PosOf(u.at)
	if c.newIsUpd {
		f.New, f.Old = upos, opos
	} else {
		f.New, f.Old = opos, upos
	}
	c.out = append(c.out, f)
}

// jsDisplayPointer renders the root pointer "" as "/".
func jsDisplayPointer(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// accepts reports whether every value valid under o is valid under u,
// without reporting anything. reversed swaps the schemas the two values
// belong to (for "not", whose subschemas compare the other way round).
func (c *jsonCmp) accepts(o, u jsonSide, reversed bool) bool {
	if *c.budget <= 0 || jsSame(o.v, u.v) {
		return true
	}
	p := &jsonCmp{orig: c.orig, upd: c.upd, newIsUpd: c.newIsUpd, version: c.version, dir: c.dir,
		probe: true, budget: c.budget, origName: c.origName, updName: c.updName}
	if reversed {
		p.orig, p.upd = c.upd, c.orig
	}
	p.compare(o, u, "")
	return !p.failed
}

// jsChild returns the side for subschema v of s's schema reached from parent.
func jsChild(_ *js.Schema, parent jsonSide, v *js.Value) jsonSide {
	if v == nil || v.External() {
		return jsonSide{v: v, at: parent.at}
	}
	return jsonSide{v: v, at: v}
}

// jsDeref follows "$ref" chains. Keywords beside a "$ref" are not compared:
// up to draft 7 they are ignored by definition, and later drafts use them
// mostly for annotations.
func jsDeref(s *js.Schema, side jsonSide) jsonSide {
	for range 64 {
		if side.v == nil || side.v.Kind() != js.Object {
			return side
		}
		t := s.Ref(side.v)
		if t == nil {
			return side
		}
		side = jsChild(s, side, t)
	}
	return side
}

func jsIsFalse(v *js.Value) bool { return v != nil && v.Kind() == js.Bool && !v.Bool() }

// jsIsTrivial reports whether v accepts every value: true, or an object with
// annotations only.
func jsIsTrivial(v *js.Value) bool {
	if v == nil {
		return true
	}
	if v.Kind() == js.Bool {
		return v.Bool()
	}
	for _, m := range v.Members() {
		if !jsonAnnotation[m.Key] {
			return false
		}
	}
	return true
}

// jsonAnnotation lists keywords that do not constrain values.
var jsonAnnotation = map[string]bool{
	"$schema": true, "$id": true, "id": true, "$comment": true, "$anchor": true, "$dynamicAnchor": true,
	"$vocabulary": true, "title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "format": true, "$defs": true,
	"definitions": true, js.DeprecationKeyword: true,
}

// jsGet returns keyword k of an object schema, or nil.
func jsGet(v *js.Value, k string) *js.Value {
	if v == nil || v.Kind() != js.Object {
		return nil
	}
	return v.Get(k)
}

// compare walks one pair of subschemas at path (a JSON Pointer into the
// reader's schema as walked from the root, references followed).
func (c *jsonCmp) compare(o, u jsonSide, path string) {
	if c.failed || *c.budget <= 0 {
		return
	}
	*c.budget--
	o, u = jsDeref(c.orig, o), jsDeref(c.upd, u)
	if o.v == nil || u.v == nil || jsIsFalse(o.v) || jsIsTrivial(u.v) {
		return
	}
	if o.v.Hash() == u.v.Hash() && !o.v.HasRef() && !u.v.HasRef() &&
		c.orig.DraftOf(o.v) == c.upd.DraftOf(u.v) && o.v.Equal(u.v) {
		return
	}
	key := [2]*js.Value{o.v, u.v}
	if c.seen[key] {
		return
	}
	if c.seen == nil {
		c.seen = map[[2]*js.Value]bool{}
	}
	c.seen[key] = true
	on, un := c.names()
	if jsIsFalse(u.v) {
		c.report(ruleJSONSchemaRejectsAll, path, o, u, "%s rejects every value here (false), %s does not", un, on)
		return
	}
	c.combinators(o, u, path)
	c.not(o, u, path)
	if !c.types(o, u, path) {
		return
	}
	c.enum(o, u, path)
	ot := jsTypeSet(o.v)
	if jsPossible(ot, "string") {
		c.strings(o, u, path)
	}
	if jsPossible(ot, "number") {
		c.numbers(o, u, path)
	}
	if jsPossible(ot, "array") {
		c.arrays(o, u, path)
	}
	if jsPossible(ot, "object") {
		c.objects(o, u, path)
	}
}

// jsTypeSet returns the types a schema names, nil when it has no "type".
func jsTypeSet(v *js.Value) map[string]bool {
	t := jsGet(v, "type")
	if t == nil {
		return nil
	}
	out := map[string]bool{}
	switch t.Kind() {
	case js.String:
		out[t.Str()] = true
	case js.Array:
		for _, e := range t.Elems() {
			out[e.Str()] = true
		}
	}
	return out
}

// jsPossible reports whether a value of kind can be valid under a schema of
// types ts (nil: any type); integers are numbers.
func jsPossible(ts map[string]bool, kind string) bool {
	return ts == nil || ts[kind] || (kind == "number" && ts["integer"])
}

// jsTypeOf returns the JSON Schema type of a JSON value.
func jsTypeOf(v *js.Value) string {
	switch v.Kind() {
	case js.Null:
		return "null"
	case js.Bool:
		return "boolean"
	case js.String:
		return "string"
	case js.Array:
		return "array"
	case js.Object:
		return "object"
	}
	if r, ok := v.Rat(); ok && r.IsInt() {
		return "integer"
	}
	return "number"
}

func jsTypeList(ts map[string]bool) string {
	return quoteList(sortedKeys(ts))
}

// types applies the type rules; false means the types have nothing in
// common, so the other keywords need no comparison.
func (c *jsonCmp) types(o, u jsonSide, path string) bool {
	ut := jsTypeSet(u.v)
	if ut == nil {
		return true
	}
	on, un := c.names()
	accepts := func(t string) bool { return ut[t] || (t == "integer" && ut["number"]) }
	ot := jsTypeSet(o.v)
	if ot == nil {
		// A writer without "type" may still pin its values by enum or const.
		if vals := jsEnumValues(o.v); vals != nil {
			for _, v := range vals {
				if !accepts(jsTypeOf(v)) {
					c.report(ruleJSONTypeNarrowed, path, o, u, "%s allows the value %s, which is not of type %s in %s", on, v, jsTypeList(ut), un)
					return true
				}
			}
			return true
		}
		c.report(ruleJSONTypeNarrowed, path, o, u, "%s restricts the type to %s where %s allows any type", un, jsTypeList(ut), on)
		return true
	}
	var missing []string
	overlap := false
	for _, t := range sortedKeys(ot) {
		if accepts(t) {
			overlap = true
			continue
		}
		missing = append(missing, t)
		if t == "number" && ut["integer"] {
			overlap = true
		}
	}
	switch {
	case len(missing) == 0:
		return true
	case overlap:
		c.report(ruleJSONTypeNarrowed, path, o, u, "the type is %s in %s but %s in %s", jsTypeList(ut), un, jsTypeList(ot), on)
		return true
	}
	c.report(ruleJSONTypeChanged, path, o, u, "the type is %s in %s but %s in %s, with nothing in common", jsTypeList(ut), un, jsTypeList(ot), on)
	return false
}

// jsEnumValues returns the values an enum or const allows, nil for neither.
func jsEnumValues(v *js.Value) []*js.Value {
	if e := jsGet(v, "enum"); e != nil && e.Kind() == js.Array {
		return e.Elems()
	}
	if k := jsGet(v, "const"); k != nil {
		return []*js.Value{k}
	}
	return nil
}

func (c *jsonCmp) enum(o, u jsonSide, path string) {
	uv := jsEnumValues(u.v)
	if uv == nil {
		return
	}
	on, un := c.names()
	rule, kw := ruleJSONEnumNarrowed, "enum"
	if jsGet(u.v, "enum") == nil {
		rule, kw = ruleJSONConstChanged, "const"
	}
	ov := jsEnumValues(o.v)
	if ov == nil {
		c.report(rule, path, o, u, "%s has %s %s where %s allows any value", un, kw, jsValueList(uv), on)
		return
	}
	var missing []*js.Value
	for _, a := range ov {
		found := false
		for _, b := range uv {
			if a.Equal(b) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		c.report(rule, path, o, u, "%s does not allow %s, which %s allows", un, jsValueList(missing), on)
	}
	if jsGet(u.v, "enum") != nil && jsGet(u.v, "const") != nil && jsGet(o.v, "const") == nil {
		c.report(ruleJSONConstChanged, path, o, u, "%s has const %s where %s has none", un, jsGet(u.v, "const"), on)
	}
}

func jsValueList(vs []*js.Value) string {
	const max = 5
	parts := make([]string, 0, max+1)
	for i, v := range vs {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(vs)-max))
			break
		}
		parts = append(parts, v.String())
	}
	return strings.Join(parts, ", ")
}

// jsNum returns keyword k of v as an exact number, or nil.
func jsNum(v *js.Value, k string) *big.Rat {
	r, ok := jsGet(v, k).Rat()
	if !ok {
		return nil
	}
	return r
}

// upperBound reports a larger-is-looser bound (maxLength, maxItems, ...)
// the reader added or lowered.
func (c *jsonCmp) upperBound(rule Rule, kw, what string, o, u jsonSide, path string) {
	ub := jsNum(u.v, kw)
	if ub == nil {
		return
	}
	on, un := c.names()
	ob := jsNum(o.v, kw)
	switch {
	case ob == nil:
		c.report(rule, path, o, u, "%s has %s %s (%s) where %s has none", un, kw, ub.RatString(), what, on)
	case ub.Cmp(ob) < 0:
		c.report(rule, path, o, u, "%s is %s in %s but %s in %s (%s)", kw, ub.RatString(), un, ob.RatString(), on, what)
	}
}

// lowerBound is upperBound for smaller-is-looser bounds (minLength, ...).
func (c *jsonCmp) lowerBound(rule Rule, kw, what string, o, u jsonSide, path string) {
	ub := jsNum(u.v, kw)
	if ub == nil || ub.Sign() == 0 {
		return
	}
	on, un := c.names()
	ob := jsNum(o.v, kw)
	switch {
	case ob == nil:
		c.report(rule, path, o, u, "%s has %s %s (%s) where %s has none", un, kw, ub.RatString(), what, on)
	case ub.Cmp(ob) > 0:
		c.report(rule, path, o, u, "%s is %s in %s but %s in %s (%s)", kw, ub.RatString(), un, ob.RatString(), on, what)
	}
}

func (c *jsonCmp) strings(o, u jsonSide, path string) {
	c.upperBound(ruleJSONMaxLengthNarrowed, "maxLength", "the longest string allowed", o, u, path)
	c.lowerBound(ruleJSONMinLengthNarrowed, "minLength", "the shortest string allowed", o, u, path)
	up := jsGet(u.v, "pattern")
	if up == nil {
		return
	}
	on, un := c.names()
	switch op := jsGet(o.v, "pattern"); {
	case op == nil:
		c.report(ruleJSONPatternChanged, path, o, u, "%s has pattern %s where %s has none", un, up, on)
	case op.Str() != up.Str():
		c.report(ruleJSONPatternChanged, path, o, u, "pattern is %s in %s but %s in %s", up, un, op, on)
	}
}

// jsBound is a numeric limit: its value, whether it is exclusive, and the
// keyword that set it.
type jsBound struct {
	val  *big.Rat
	excl bool
	kw   string
}

// jsNumBound returns the tighter of a schema's inclusive and exclusive
// bounds on one side (upper or lower), reading draft-04's boolean
// exclusiveMaximum/exclusiveMinimum.
func jsNumBound(s *js.Schema, v *js.Value, upper bool) *jsBound {
	incl, excl := "minimum", "exclusiveMinimum"
	if upper {
		incl, excl = "maximum", "exclusiveMaximum"
	}
	var out *jsBound
	tighter := func(b *jsBound) {
		if out == nil {
			out = b
			return
		}
		cmp := b.val.Cmp(out.val)
		if !upper {
			cmp = -cmp
		}
		if cmp < 0 || (cmp == 0 && b.excl && !out.excl) {
			out = b
		}
	}
	if r := jsNum(v, incl); r != nil {
		b := &jsBound{val: r, kw: incl}
		if e := jsGet(v, excl); e != nil && e.Kind() == js.Bool && e.Bool() {
			b.excl, b.kw = true, excl
		}
		tighter(b)
	}
	if r := jsNum(v, excl); r != nil && s.DraftOf(v) != js.Draft4 {
		tighter(&jsBound{val: r, excl: true, kw: excl})
	}
	return out
}

func (c *jsonCmp) numbers(o, u jsonSide, path string) {
	on, un := c.names()
	for _, upper := range []bool{true, false} {
		ub := jsNumBound(c.upd, u.v, upper)
		if ub == nil {
			continue
		}
		rule := map[string]Rule{"maximum": ruleJSONMaximumNarrowed, "exclusiveMaximum": ruleJSONExclusiveMaximumNarrowed,
			"minimum": ruleJSONMinimumNarrowed, "exclusiveMinimum": ruleJSONExclusiveMinimumNarrowed}[ub.kw]
		ob := jsNumBound(c.orig, o.v, upper)
		if ob == nil {
			c.report(rule, path, o, u, "%s has %s %s where %s has no such limit", un, ub.kw, ub.val.RatString(), on)
			continue
		}
		cmp := ub.val.Cmp(ob.val)
		if !upper {
			cmp = -cmp
		}
		if cmp < 0 || (cmp == 0 && ub.excl && !ob.excl) {
			c.report(rule, path, o, u, "the %s bound is %s %s in %s but %s %s in %s",
				map[bool]string{true: "upper", false: "lower"}[upper], ub.kw, ub.val.RatString(), un, ob.kw, ob.val.RatString(), on)
		}
	}
	um := jsNum(u.v, "multipleOf")
	if um == nil || um.Sign() <= 0 {
		return
	}
	om := jsNum(o.v, "multipleOf")
	switch {
	case om == nil:
		if um.IsInt() && um.Num().IsInt64() && um.Num().Int64() == 1 && jsTypeSet(o.v) != nil && jsTypeSet(o.v)["integer"] && len(jsTypeSet(o.v)) == 1 {
			return
		}
		c.report(ruleJSONMultipleOfChanged, path, o, u, "%s has multipleOf %s where %s has none", un, um.RatString(), on)
	case !new(big.Rat).Quo(om, um).IsInt():
		c.report(ruleJSONMultipleOfChanged, path, o, u, "multipleOf is %s in %s but %s in %s, which it does not divide", um.RatString(), un, om.RatString(), on)
	}
}

// jsItemModel is an array schema's tuple jsItems and the schema for the items
// after them (nil: any item).
type jsItemModel struct {
	prefix    []*js.Value
	prefixKw  string
	rest      *js.Value
	restKw    string
	restGiven bool
}

func jsItems(s *js.Schema, v *js.Value) jsItemModel {
	m := jsItemModel{prefixKw: "items", restKw: "additionalItems"}
	if s.DraftOf(v) == js.Draft2020 {
		m.prefixKw, m.restKw = "prefixItems", "items"
		if p := jsGet(v, "prefixItems"); p != nil {
			m.prefix = p.Elems()
		}
		m.rest = jsGet(v, "items")
	} else if it := jsGet(v, "items"); it != nil && it.Kind() == js.Array {
		m.prefix = it.Elems()
		m.rest = jsGet(v, "additionalItems")
	} else if it != nil {
		m.rest, m.restKw = it, "items"
	}
	if m.rest == nil && s.DraftOf(v).AtLeast2019() {
		if ui := jsGet(v, "unevaluatedItems"); ui != nil {
			m.rest, m.restKw = ui, "unevaluatedItems"
		}
	}
	return m
}

func (m jsItemModel) at(i int) (*js.Value, string) {
	if i < len(m.prefix) {
		return m.prefix[i], fmt.Sprintf("/%s/%d", m.prefixKw, i)
	}
	return m.rest, "/" + m.restKw
}

func (c *jsonCmp) arrays(o, u jsonSide, path string) {
	on, un := c.names()
	om, um := jsItems(c.orig, o.v), jsItems(c.upd, u.v)
	for i := range max(len(om.prefix), len(um.prefix)) {
		oi, _ := om.at(i)
		ui, usuf := um.at(i)
		p := path + usuf
		switch {
		case jsIsTrivial(ui) || jsIsFalse(oi):
		case oi == nil:
			if i < len(um.prefix) {
				c.report(ruleJSONItemAddedToOpenContentModel, p, o, jsChild(c.upd, u, ui), "%s has a schema for array item %d where %s allows any item", un, i, on)
			}
		case jsIsFalse(ui):
			c.report(ruleJSONItemRemovedFromClosedContentModel, p, jsChild(c.orig, o, oi), u, "%s allows no array item %d, %s does", un, i, on)
		default:
			c.compare(jsChild(c.orig, o, oi), jsChild(c.upd, u, ui), p)
		}
	}
	p := path + "/" + um.restKw
	switch {
	case jsIsTrivial(um.rest) || jsIsFalse(om.rest):
	case jsIsFalse(um.rest):
		c.report(ruleJSONAdditionalItemsNarrowed, p, jsChild(c.orig, o, om.rest), jsChild(c.upd, u, um.rest), "%s allows no array items%s, %s does", un, after(len(um.prefix)), on)
	case om.rest == nil:
		c.report(ruleJSONAdditionalItemsNarrowed, p, o, jsChild(c.upd, u, um.rest), "%s constrains array items%s with %s %s where %s allows any", un, after(len(um.prefix)), um.restKw, um.rest, on)
	default:
		c.compare(jsChild(c.orig, o, om.rest), jsChild(c.upd, u, um.rest), p)
	}
	c.upperBound(ruleJSONMaxItemsNarrowed, "maxItems", "the most items allowed", o, u, path)
	c.lowerBound(ruleJSONMinItemsNarrowed, "minItems", "the fewest items allowed", o, u, path)
	if uu := jsGet(u.v, "uniqueItems"); uu != nil && uu.Kind() == js.Bool && uu.Bool() {
		if ou := jsGet(o.v, "uniqueItems"); ou == nil || !ou.Bool() {
			c.report(ruleJSONUniqueItemsAdded, path, o, u, "%s requires unique array items, %s does not", un, on)
		}
	}
	if uc := jsGet(u.v, "contains"); uc != nil && !jsIsTrivial(uc) {
		oc := jsGet(o.v, "contains")
		if oc == nil {
			c.report(ruleJSONContainsNarrowed, path+"/contains", o, jsChild(c.upd, u, uc), "%s has contains where %s has none", un, on)
		} else if !c.accepts(jsChild(c.orig, o, oc), jsChild(c.upd, u, uc), false) {
			c.report(ruleJSONContainsNarrowed, path+"/contains", jsChild(c.orig, o, oc), jsChild(c.upd, u, uc), "the contains schema of %s does not accept every item the one of %s accepts", un, on)
		}
	}
}

// jsContentModel says what a schema does with a property it does not
// declare under "properties".
type jsContentModel struct {
	patterns *js.Value // patternProperties, or nil
	rest     *js.Value // additionalProperties (or unevaluatedProperties), nil when open
	restKw   string
}

func jsContentOf(v *js.Value) jsContentModel {
	m := jsContentModel{patterns: jsGet(v, "patternProperties"), rest: jsGet(v, "additionalProperties"), restKw: "additionalProperties"}
	if m.rest == nil {
		if up := jsGet(v, "unevaluatedProperties"); up != nil {
			m.rest, m.restKw = up, "unevaluatedProperties"
		}
	}
	return m
}

var jsonPatterns sync.Map // pattern string -> *regexp.Regexp (nil when not a Go regexp)

func jsMatches(pattern, name string) bool {
	re, ok := jsonPatterns.Load(pattern)
	if !ok {
		compiled, err := regexp.Compile(pattern)
		if err != nil {
			compiled = nil
		}
		re, _ = jsonPatterns.LoadOrStore(pattern, compiled)
	}
	r, _ := re.(*regexp.Regexp)
	return r != nil && r.MatchString(name)
}

// governing returns the subschemas that apply to an undeclared property
// name: the matching patternProperties, else the rest schema; open is true
// when nothing constrains it.
func (m jsContentModel) governing(name string) (subs []*js.Value, open bool) {
	if m.patterns != nil {
		for _, pm := range m.patterns.Members() {
			if jsMatches(pm.Key, name) {
				subs = append(subs, pm.Value)
			}
		}
	}
	if len(subs) == 0 {
		if m.rest == nil || jsIsTrivial(m.rest) {
			return nil, true
		}
		subs = append(subs, m.rest)
	}
	return subs, false
}

func (c *jsonCmp) objects(o, u jsonSide, path string) {
	on, un := c.names()
	oProps, uProps := jsGet(o.v, "properties"), jsGet(u.v, "properties")
	oModel, uModel := jsContentOf(o.v), jsContentOf(u.v)
	if oProps != nil {
		for i, m := range oProps.Members() {
			up := jsMember(uProps, i, m.Key)
			if jsSame(m.Value, up) {
				continue
			}
			p := path + "/properties/" + js.EscapeToken(m.Key)
			os := jsChild(c.orig, o, m.Value)
			if up != nil {
				c.compare(os, jsChild(c.upd, u, up), p)
				continue
			}
			if jsIsFalse(m.Value) {
				continue
			}
			subs, open := uModel.governing(m.Key)
			if open {
				continue
			}
			for _, s := range subs {
				if jsIsFalse(s) {
					c.report(ruleJSONPropertyRemovedFromClosedContentModel, p, os, u, "%s declares property `%s`, while %s does not and allows no undeclared properties", on, m.Key, un)
					break
				}
				if !c.accepts(os, jsChild(c.upd, u, s), false) {
					c.report(ruleJSONPropertyRemovedNotCovered, p, os, u, "%s declares property `%s`, while %s does not, and its schema %s for undeclared properties does not accept every value %s allows for it", on, m.Key, un, s, on)
					break
				}
			}
		}
	}
	if uProps != nil {
		for i, m := range uProps.Members() {
			if jsMember(oProps, i, m.Key) != nil || jsIsTrivial(m.Value) {
				continue
			}
			p := path + "/properties/" + js.EscapeToken(m.Key)
			us := jsChild(c.upd, u, m.Value)
			subs, open := oModel.governing(m.Key)
			if open {
				c.report(ruleJSONPropertyAddedToOpenContentModel, p, o, us, "%s declares property `%s` with a schema, while %s does not and allows any value under that name (its content model is open)", un, m.Key, on)
				continue
			}
			for _, s := range subs {
				if !jsIsFalse(s) && !c.accepts(jsChild(c.orig, o, s), us, false) {
					c.report(ruleJSONPropertyAddedNotCovered, p, o, us, "%s declares property `%s`, whose schema does not accept every value that %s allows under that name by its schema %s", un, m.Key, on, s)
					break
				}
			}
		}
	}
	c.contentModels(o, u, oModel, uModel, path)
	c.required(o, u, path)
	c.upperBound(ruleJSONMaxPropertiesNarrowed, "maxProperties", "the most properties allowed", o, u, path)
	c.lowerBound(ruleJSONMinPropertiesNarrowed, "minProperties", "the fewest properties allowed", o, u, path)
	c.dependencies(o, u, path)
	if pn := jsGet(u.v, "propertyNames"); pn != nil && !jsIsTrivial(pn) {
		if opn := jsGet(o.v, "propertyNames"); opn != nil {
			c.compare(jsChild(c.orig, o, opn), jsChild(c.upd, u, pn), path+"/propertyNames")
		} else {
			c.report(ruleJSONPropertyNamesNarrowed, path+"/propertyNames", o, jsChild(c.upd, u, pn), "%s restricts property names with %s, %s does not", un, pn, on)
		}
	}
}

// contentModels compares what the two schemas do with undeclared
// properties: additionalProperties and patternProperties.
func (c *jsonCmp) contentModels(o, u jsonSide, om, um jsContentModel, path string) {
	on, un := c.names()
	p := path + "/" + um.restKw
	switch {
	case um.rest == nil || jsIsTrivial(um.rest) || jsIsFalse(om.rest):
	case om.rest == nil || jsIsTrivial(om.rest):
		if jsIsFalse(um.rest) {
			c.report(ruleJSONAdditionalPropertiesNarrowed, p, o, jsChild(c.upd, u, um.rest), "%s closes the content model (%s false) where %s allows undeclared properties", un, um.restKw, on)
		} else {
			c.report(ruleJSONAdditionalPropertiesNarrowed, p, o, jsChild(c.upd, u, um.rest), "%s constrains undeclared properties with %s %s where %s allows any", un, um.restKw, um.rest, on)
		}
	case jsIsFalse(um.rest):
		c.report(ruleJSONAdditionalPropertiesNarrowed, p, jsChild(c.orig, o, om.rest), jsChild(c.upd, u, um.rest), "%s closes the content model (%s false) where %s allows undeclared properties matching %s", un, um.restKw, on, om.rest)
	default:
		c.compare(jsChild(c.orig, o, om.rest), jsChild(c.upd, u, um.rest), p)
	}
	if um.patterns != nil {
		for _, pm := range um.patterns.Members() {
			pp := path + "/patternProperties/" + js.EscapeToken(pm.Key)
			us := jsChild(c.upd, u, pm.Value)
			if op := om.patterns.Get(pm.Key); op != nil {
				c.compare(jsChild(c.orig, o, op), us, pp)
				continue
			}
			if jsIsTrivial(pm.Value) || jsIsFalse(om.rest) {
				continue
			}
			if om.rest == nil || !c.accepts(jsChild(c.orig, o, om.rest), us, false) {
				c.report(ruleJSONPatternPropertiesNarrowed, pp, o, us, "%s has patternProperties %q, which rejects values %s allows for property names matching it", un, pm.Key, on)
			}
		}
	}
	if om.patterns != nil {
		for _, pm := range om.patterns.Members() {
			if um.patterns.Get(pm.Key) != nil || jsIsFalse(pm.Value) || um.rest == nil || jsIsTrivial(um.rest) {
				continue
			}
			os := jsChild(c.orig, o, pm.Value)
			if jsIsFalse(um.rest) || !c.accepts(os, jsChild(c.upd, u, um.rest), false) {
				c.report(ruleJSONPatternPropertiesNarrowed, path+"/patternProperties/"+js.EscapeToken(pm.Key), os, u,
					"%s lacks patternProperties %q, and its %s does not accept every value %s allows for property names matching it", un, pm.Key, um.restKw, on)
			}
		}
	}
}

func jsStringSet(v *js.Value) map[string]bool {
	out := map[string]bool{}
	if v != nil && v.Kind() == js.Array {
		for _, e := range v.Elems() {
			out[e.Str()] = true
		}
	}
	return out
}

func (c *jsonCmp) required(o, u jsonSide, path string) {
	ur := jsGet(u.v, "required")
	if ur == nil || ur.Kind() != js.Array {
		return
	}
	on, un := c.names()
	or := jsStringSet(jsGet(o.v, "required"))
	uProps := jsGet(u.v, "properties")
	for _, e := range ur.Elems() {
		n := e.Str()
		if or[n] || jsGet(uProps.Get(n), "default") != nil {
			continue
		}
		p := path + "/properties/" + js.EscapeToken(n)
		us := jsChild(c.upd, u, e)
		if up := uProps.Get(n); up != nil {
			us = jsChild(c.upd, u, up)
		}
		c.report(ruleJSONRequiredAdded, p, o, us, "property `%s` is required by %s but not by %s, and has no default", n, un, on)
	}
}

// jsDependency is one dependency of a property: the properties it makes
// required (an array) or the schema it applies, and the keyword it sits
// under.
type jsDependency struct {
	v  *js.Value
	kw string
}

// jsDependencyModel gathers property dependencies ("dependencies" arrays,
// "dependentRequired") and schema dependencies ("dependencies" schemas,
// "dependentSchemas").
func jsDependencyModel(v *js.Value) (req, sch map[string]jsDependency) {
	req, sch = map[string]jsDependency{}, map[string]jsDependency{}
	if d := jsGet(v, "dependencies"); d != nil {
		for _, m := range d.Members() {
			if m.Value.Kind() == js.Array {
				req[m.Key] = jsDependency{m.Value, "dependencies"}
			} else {
				sch[m.Key] = jsDependency{m.Value, "dependencies"}
			}
		}
	}
	if d := jsGet(v, "dependentRequired"); d != nil {
		for _, m := range d.Members() {
			req[m.Key] = jsDependency{m.Value, "dependentRequired"}
		}
	}
	if d := jsGet(v, "dependentSchemas"); d != nil {
		for _, m := range d.Members() {
			sch[m.Key] = jsDependency{m.Value, "dependentSchemas"}
		}
	}
	return req, sch
}

func (c *jsonCmp) dependencies(o, u jsonSide, path string) {
	uReq, uSch := jsDependencyModel(u.v)
	if len(uReq) == 0 && len(uSch) == 0 {
		return
	}
	on, un := c.names()
	oReq, oSch := jsDependencyModel(o.v)
	for _, k := range sortedKeys(uReq) {
		ud := uReq[k]
		us := jsChild(c.upd, u, ud.v)
		p := path + "/" + ud.kw + "/" + js.EscapeToken(k)
		have := jsStringSet(oReq[k].v)
		var extra []string
		for _, e := range ud.v.Elems() {
			if !have[e.Str()] {
				extra = append(extra, e.Str())
			}
		}
		switch {
		case len(extra) == 0:
		case oReq[k].v == nil:
			c.report(ruleJSONDependentRequiredExtended, p, o, us, "%s makes %s required whenever `%s` is present, %s does not", un, quoteList(extra), k, on)
		default:
			c.report(ruleJSONDependentRequiredExtended, p, jsChild(c.orig, o, oReq[k].v), us, "%s also requires %s whenever `%s` is present, %s does not", un, quoteList(extra), k, on)
		}
	}
	for _, k := range sortedKeys(uSch) {
		ud := uSch[k]
		us := jsChild(c.upd, u, ud.v)
		p := path + "/" + ud.kw + "/" + js.EscapeToken(k)
		if od, ok := oSch[k]; ok {
			c.compare(jsChild(c.orig, o, od.v), us, p)
		} else if !jsIsTrivial(ud.v) {
			c.report(ruleJSONDependentSchemaAdded, p, o, us, "%s has a schema dependency on `%s` where %s has none", un, k, on)
		}
	}
}

func (c *jsonCmp) not(o, u jsonSide, path string) {
	un := jsGet(u.v, "not")
	if un == nil || jsIsFalse(un) {
		return
	}
	onm, unm := c.names()
	us := jsChild(c.upd, u, un)
	on := jsGet(o.v, "not")
	if on == nil {
		c.report(ruleJSONNotExtended, path+"/not", o, us, "%s has not %s, which rejects values %s allows", unm, un, onm)
		return
	}
	// Values u rejects (those matching u's "not") must be values o
	// rejected: u.not ⊆ o.not, a comparison the other way round.
	if !c.accepts(us, jsChild(c.orig, o, on), true) {
		c.report(ruleJSONNotExtended, path+"/not", jsChild(c.orig, o, on), us, "the not schema of %s matches values the one of %s does not, so %s rejects values %s allows", unm, onm, unm, onm)
	}
}

// combinators compares allOf (a product: the reader's parts must each be
// implied by the writer) and oneOf/anyOf (a sum: each of the writer's
// alternatives must be accepted by one of the reader's).
func (c *jsonCmp) combinators(o, u jsonSide, path string) {
	onm, unm := c.names()
	if ua := jsGet(u.v, "allOf"); ua != nil {
		oa := jsGet(o.v, "allOf")
		for i, ub := range ua.Elems() {
			us := jsChild(c.upd, u, ub)
			if c.implied(o, oa, i, us) {
				continue
			}
			if oa != nil && i < len(oa.Elems()) && len(ua.Elems()) <= len(oa.Elems()) {
				c.compare(jsChild(c.orig, o, oa.Elems()[i]), us, fmt.Sprintf("%s/allOf/%d", path, i))
				continue
			}
			c.report(ruleJSONProductTypeExtended, fmt.Sprintf("%s/allOf/%d", path, i), o, us, "%s has an allOf part that rejects values %s allows", unm, onm)
		}
	}
	for _, ukw := range []string{"oneOf", "anyOf"} {
		ua := jsGet(u.v, ukw)
		if ua == nil {
			continue
		}
		okw := ukw
		oa := jsGet(o.v, ukw)
		if oa == nil && ukw == "anyOf" {
			okw, oa = "oneOf", jsGet(o.v, "oneOf")
		}
		if oa == nil && ukw == "oneOf" && jsGet(o.v, "anyOf") != nil {
			c.report(ruleJSONCombinedTypeChanged, path+"/oneOf", o, jsChild(c.upd, u, ua), "%s has oneOf where %s has anyOf, so values matching several branches are rejected", unm, onm)
			continue
		}
		if oa == nil {
			if !c.anyAccepts(o, u, ua, nil) {
				c.report(ruleJSONSumTypeNarrowed, path+"/"+ukw, o, jsChild(c.upd, u, ua), "none of the %s branches of %s accepts every value %s allows", ukw, unm, onm)
			}
			continue
		}
		used := make([]bool, len(ua.Elems()))
		for i, ob := range oa.Elems() {
			os := jsChild(c.orig, o, ob)
			if c.anyAccepts(os, u, ua, used) {
				continue
			}
			p := fmt.Sprintf("%s/%s/%d", path, ukw, i)
			if len(ua.Elems()) >= len(oa.Elems()) && i < len(used) && !used[i] {
				used[i] = true
				c.compare(os, jsChild(c.upd, u, ua.Elems()[i]), p)
				continue
			}
			c.report(ruleJSONSumTypeNarrowed, fmt.Sprintf("%s/%s/%d", path, okw, i), os, jsChild(c.upd, u, ua),
				"branch %d of %s in %s is accepted by no branch of %s in %s", i, okw, onm, ukw, unm)
		}
	}
}

// implied reports whether allOf part i of the reader (us) accepts every
// value of the writer: of the writer's own allOf part i or any other, or of
// the writer's schema as a whole.
func (c *jsonCmp) implied(o jsonSide, oa *js.Value, i int, us jsonSide) bool {
	if oa != nil {
		elems := oa.Elems()
		if i < len(elems) && c.accepts(jsChild(c.orig, o, elems[i]), us, false) {
			return true
		}
		for j, ob := range elems {
			if j != i && c.accepts(jsChild(c.orig, o, ob), us, false) {
				return true
			}
		}
	}
	return c.accepts(o, us, false)
}

// anyAccepts reports whether some branch of ua not yet used accepts every
// value of os, marking it used; used may be nil when branches may be
// shared.
func (c *jsonCmp) anyAccepts(os, u jsonSide, ua *js.Value, used []bool) bool {
	for j, ub := range ua.Elems() {
		if used != nil && used[j] {
			continue
		}
		if c.accepts(os, jsChild(c.upd, u, ub), false) {
			if used != nil {
				used[j] = true
			}
			return true
		}
	}
	return false
}

// after describes the items a rest schema governs: those after the tuple.
func after(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" after the first %d", n)
}

// jsSame reports whether a and b are the same JSON without references,
// which means the same thing in any document.
func jsSame(a, b *js.Value) bool {
	return a != nil && b != nil && a.Hash() == b.Hash() && !a.HasRef() && !b.HasRef() && a.Equal(b)
}

// jsMember returns member key of object v, looking first at index i:
// successive versions usually list properties in the same order.
func jsMember(v *js.Value, i int, key string) *js.Value {
	if v == nil {
		return nil
	}
	if ms := v.Members(); i < len(ms) && ms[i].Key == key {
		return ms[i].Value
	}
	return v.Get(key)
}
