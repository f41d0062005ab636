package compat

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// jsonBudget bounds the subschema comparisons of one check. Combinators
// compare branches pairwise, so hostile nesting of oneOf inside oneOf could
// otherwise take exponential time; when the budget runs out the walk stops
// and reports what it found.
const jsonBudget = 20_000

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
	st        *stopper
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
	// matches matches property names against patterns within
	// jsonMatchBudget; set on first use and shared with probes.
	matches *jsonMatcher
	seen    map[[2]*js.Value]bool
	out     []Finding

	origName, updName string
	// bare leaves the direction out of messages, for callers that say
	// themselves which schema reads which.
	bare bool
	// sameDraft is set when both schemas and all their references are
	// of one draft, so equal JSON means equal schemas.
	sameDraft bool
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
	switch {
	case c.bare:
	case c.dir == DirForward:
		prefix = fmt.Sprintf("version %d does not accept all data valid under the new schema: ", c.version)
	default:
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
	if *c.budget <= 0 || c.same(o.v, u.v) {
		return true
	}
	p := &jsonCmp{st: c.st, orig: c.orig, upd: c.upd, newIsUpd: c.newIsUpd, version: c.version, dir: c.dir,
		probe: true, budget: c.budget, matches: c.matcher(), origName: c.origName, updName: c.updName, sameDraft: c.sameDraft}
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
	c.st.tick()
	if c.failed || *c.budget <= 0 {
		return
	}
	*c.budget--
	o, u = jsDeref(c.orig, o), jsDeref(c.upd, u)
	if o.v == nil || u.v == nil || jsIsFalse(o.v) || jsIsTrivial(u.v) {
		return
	}
	if c.same(o.v, u.v) {
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
	return quoteList(slices.Sorted(maps.Keys(ts)))
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
	for _, t := range slices.Sorted(maps.Keys(ot)) {
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
	allowed := jsValueSet(uv)
	for _, a := range ov {
		if !allowed.has(a) {
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

// jsValues is a set of JSON values compared as Value.Equal compares them,
// so that matching two long enums takes time linear in their length.
type jsValues map[jsValueKey]bool

type jsValueKey struct {
	kind js.Kind
	hash uint64
}

func jsValueSet(vs []*js.Value) jsValues {
	out := make(jsValues, len(vs))
	for _, v := range vs {
		out[jsValueKey{v.Kind(), v.Hash()}] = true
	}
	return out
}

func (s jsValues) has(v *js.Value) bool { return s[jsValueKey{v.Kind(), v.Hash()}] }

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

// same reports whether subschema a of the writer's schema and b of the
// reader's are the same JSON without references, read under the same
// draft: then they accept the same values wherever they appear.
func (c *jsonCmp) same(a, b *js.Value) bool {
	return a != nil && b != nil && !a.HasRef() && !b.HasRef() && a.Equal(b) &&
		c.orig.DraftOf(a) == c.upd.DraftOf(b)
}
