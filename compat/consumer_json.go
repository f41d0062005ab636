package compat

import (
	"github.com/schemata-dev/schemata/schema"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// JSON Schema consumers name what they read either with a reader schema
// (which must accept every value the writer allows: the FORWARD rules with
// the reader as the earlier schema) or with paths: field paths
// ("customer.email", "items[].sku", see jsonschema.ParseFieldPath) or JSON
// Pointers to subschemas. A path resolves, through "$ref" and combinator
// branches, to the subschema where the element is written in the text;
// its JSON Pointer is the canonical path that deprecations and findings
// use.

// jsonResolvePath returns the canonical path of a declared JSON path in s.
func jsonResolvePath(s *js.Schema, path string) (string, bool) {
	res, ok := s.ResolvePath(path)
	if !ok {
		return "", false
	}
	return jsDisplayPointer(res.Target.Pointer), true
}

// jsonPointer turns a canonical JSON path ("/" for the root) back into a
// JSON Pointer.
func jsonPointer(path string) string {
	if path == "/" {
		return ""
	}
	return path
}

// jsonReaderReach collects into reached the JSON Pointers of the
// subschemas of s a consumer reading with reader reaches: walking both
// schemas from the root by property, items and values steps, each
// subschema of s a step leads to, and everything enclosing it. A change
// of any of them affects the reader.
func jsonReaderReach(reader, s *js.Schema, reached *readSet) {
	budget := jsonBudget
	var walk func(rv *js.Value, steps []js.Step, onRoute map[*js.Value]bool)
	walk = func(rv *js.Value, steps []js.Step, onRoute map[*js.Value]bool) {
		rv = jsDeref(reader, jsonSide{v: rv}).v
		if rv == nil || onRoute[rv] || budget <= 0 || len(steps) > js.MaxDepth {
			return
		}
		budget--
		onRoute[rv] = true
		defer delete(onRoute, rv)
		for _, next := range jsReaderSteps(reader, rv, 0) {
			route := append(steps[:len(steps):len(steps)], next.step)
			res, ok := s.ResolveFieldPath(route)
			if !ok {
				continue
			}
			for _, l := range append([]js.Located{res.Target}, res.Targets...) {
				if !l.External {
					reached.addEnclosing(jsDisplayPointer(l.Pointer))
				}
			}
			walk(next.sub, route, onRoute)
		}
	}
	walk(reader.Root(), nil, map[*js.Value]bool{})
}

// jsReaderStep is one step a reader schema takes from a subschema.
type jsReaderStep struct {
	step js.Step
	sub  *js.Value
}

// jsReaderSteps lists the steps a reader takes from v: its properties,
// its items and its additionalProperties, and those of its allOf, anyOf
// and oneOf branches.
func jsReaderSteps(s *js.Schema, v *js.Value, depth int) []jsReaderStep {
	if v == nil || v.Kind() != js.Object || depth > 16 {
		return nil
	}
	var out []jsReaderStep
	for _, m := range jsGet(v, "properties").Members() {
		out = append(out, jsReaderStep{js.Step{Kind: js.StepProperty, Name: m.Key}, m.Value})
	}
	if it := jsGet(v, "items"); it != nil && it.Kind() == js.Object {
		out = append(out, jsReaderStep{js.Step{Kind: js.StepItems}, it})
	}
	if ap := jsGet(v, "additionalProperties"); ap != nil && ap.Kind() == js.Object {
		out = append(out, jsReaderStep{js.Step{Kind: js.StepValues}, ap})
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		for _, b := range jsGet(v, kw).Elems() {
			out = append(out, jsReaderSteps(s, jsDeref(s, jsonSide{v: b}).v, depth+1)...)
		}
	}
	return out
}

// checkJSONReader checks that the consumer's reader schema accepts every
// value the writer allows, with the rules of the compatibility levels.
func (c *consumerCheck) checkJSONReader() {
	r, w := asJSON(c.req.Consumer.Reader), asJSON(c.req.Writer)
	if r == nil || w == nil {
		return
	}
	budget := jsonBudget
	cmp := &jsonCmp{st: c.st, orig: w, upd: r, version: c.req.Version, dir: DirForward, budget: &budget,
		sameDraft: jsOneDraft(w, r), bare: true,
		origName: c.req.WriterName, updName: "the consumer's reader schema"}
	cmp.compare(jsRoot(w), jsRoot(r), "")
	c.readerFindings(cmp.out)
}

// checkJSONFields checks a path consumer against a JSON Schema writer:
// each path must still lead somewhere in the writer, to a subschema whose
// types the consumer, which decodes the types of the reference version,
// can read.
func (c *consumerCheck) checkJSONFields() {
	w := asJSON(c.req.Writer)
	if w == nil {
		return
	}
	ref := asJSON(c.req.Reference)
	for _, declared := range c.req.Consumer.Fields {
		c.st.tick()
		var rres js.Resolution
		rok := false
		if ref != nil {
			rres, rok = ref.ResolvePath(declared)
		}
		wres, wok := w.ResolvePath(declared)
		path := declared
		switch {
		case rok:
			path = jsDisplayPointer(rres.Target.Pointer)
		case wok:
			path = jsDisplayPointer(wres.Target.Pointer)
		}
		switch {
		case !wok && !rok:
			c.report(ruleConsumerFieldUnknown, path, schema.Position{}, schema.Position{},
				"declares that it reads %s, which neither %s nor the version it is compared with has; check the consumer's field list", declared, c.req.WriterName)
		case !wok:
			c.report(ruleConsumerFieldMissing, path, nearestPos(w, path), jsLocatedPos(ref, rres.Target),
				"reads %s (%s), which %s does not have: the consumer would fail or read nothing there", declared, path, c.req.WriterName)
		case !rok:
			// Present in the writer; nothing to compare the type with.
		default:
			wt, rt := jsEffectiveTypes(w, wres.Target.Value, 0), jsEffectiveTypes(ref, rres.Target.Value, 0)
			if !jsTypesReadable(wt, rt) {
				c.report(ruleConsumerFieldTypeChanged, path, jsLocatedPos(w, wres.Target), jsLocatedPos(ref, rres.Target),
					"reads %s as %s, but %s writes it as %s", declared, jsTypeDesc(rt), c.req.WriterName, jsTypeDesc(wt))
			}
		}
	}
}

// jsLocatedPos locates a resolved subschema in the text of s.
func jsLocatedPos(s *js.Schema, l js.Located) schema.Position {
	if s == nil || l.External {
		return schema.Position{}
	}
	return s.PosOf(l.Value)
}

// jsEffectiveTypes returns the types a subschema admits: its "type", else
// the union of its oneOf/anyOf branches' types, else the types of its enum
// or const values; nil means any type, an empty set none.
func jsEffectiveTypes(s *js.Schema, v *js.Value, depth int) map[string]bool {
	v = jsDeref(s, jsonSide{v: v}).v
	if v == nil || depth > 16 {
		return nil
	}
	if v.Kind() == js.Bool {
		if v.Bool() {
			return nil
		}
		return map[string]bool{}
	}
	if ts := jsTypeSet(v); ts != nil {
		return ts
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		branches := jsGet(v, kw)
		if branches == nil || branches.Kind() != js.Array {
			continue
		}
		out := map[string]bool{}
		for _, b := range branches.Elems() {
			bt := jsEffectiveTypes(s, b, depth+1)
			if bt == nil {
				return nil
			}
			for t := range bt {
				out[t] = true
			}
		}
		return out
	}
	if vals := jsEnumValues(v); vals != nil {
		out := map[string]bool{}
		for _, e := range vals {
			out[jsTypeOf(e)] = true
		}
		return out
	}
	return nil
}

// jsTypesReadable reports whether a consumer expecting types r can read
// values of types w: every writer type is a reader type, integers being
// numbers.
func jsTypesReadable(w, r map[string]bool) bool {
	if r == nil {
		return true
	}
	if w == nil {
		return false
	}
	for t := range w {
		if !r[t] && !(t == "integer" && r["number"]) {
			return false
		}
	}
	return true
}

// jsonReadsIn is ConsumerReader.ReadsIn for a JSON Schema subject. A
// declared path affects the consumer when the changed element is what
// the path resolved to, or one of the subschemas its references lead to,
// or lies inside them, or encloses a subschema the path passes through;
// a path that does not resolve is compared as written (PathsOverlap).
func (r ConsumerReader) jsonReadsIn(s *js.Schema) func(path string) bool {
	resolved := newReadSet("/")
	if r.Reader != nil {
		if reader := asJSON(r.Reader); reader != nil {
			jsonReaderReach(reader, s, resolved)
		}
		return resolved.reads
	}
	raw := newReadSet(pathBounds)
	for _, f := range r.Fields {
		res, ok := s.ResolvePath(f)
		if !ok {
			raw.add(f)
			continue
		}
		for _, l := range append([]js.Located{res.Target}, res.Targets...) {
			if p := jsDisplayPointer(l.Pointer); !l.External {
				resolved.add(p)
				resolved.all = resolved.all || p == "/"
			}
		}
		for _, l := range res.Through {
			if !l.External {
				resolved.addEnclosing(jsDisplayPointer(l.Pointer))
			}
		}
	}
	return func(path string) bool { return resolved.reads(path) || raw.reads(path) }
}
