package compat

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/jsonschema"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// jsonDelta is one structural difference between two JSON Schema texts,
// found by pairing subschemas at the same JSON Pointer.
type jsonDelta struct {
	kind    ChangeKind
	element string // property, definition, type, required, enum_value, deprecated
	path    string // JSON Pointer of the element (old side for removals)
	oldVal  string
	newVal  string
	oldV    *js.Value
	newV    *js.Value
	// hasDefault is set for a newly required property that has a default.
	hasDefault bool
}

// jsonDeltas pairs the subschemas of o and n by JSON Pointer (properties
// and definitions by name, other subschemas by keyword and index) without
// following references, and lists what changed.
func jsonDeltas(st *stopper, o, n *js.Schema) []jsonDelta {
	var out []jsonDelta
	var walk func(ov, nv *js.Value, ptr string, depth int)
	walk = func(ov, nv *js.Value, ptr string, depth int) {
		st.tick()
		if depth > js.MaxDepth {
			return
		}
		ot, nt := jsTypeSet(ov), jsTypeSet(nv)
		if jsTypeList(ot) != jsTypeList(nt) {
			out = append(out, jsonDelta{kind: Changed, element: "type", path: ptr, oldVal: jsTypeDesc(ot), newVal: jsTypeDesc(nt), oldV: ov, newV: nv})
		}
		or, nr := jsStringSet(jsGet(ov, "required")), jsStringSet(jsGet(nv, "required"))
		for _, k := range slices.Sorted(maps.Keys(nr)) {
			if !or[k] {
				hasDefault := jsGet(jsGet(nv, "properties").Get(k), "default") != nil
				out = append(out, jsonDelta{kind: Added, element: "required", path: ptr + "/properties/" + js.EscapeToken(k), newVal: k, oldV: ov, newV: jsGet(nv, "required"), hasDefault: hasDefault})
			}
		}
		for _, k := range slices.Sorted(maps.Keys(or)) {
			if !nr[k] {
				out = append(out, jsonDelta{kind: Removed, element: "required", path: ptr + "/properties/" + js.EscapeToken(k), oldVal: k, oldV: jsGet(ov, "required"), newV: nv})
			}
		}
		if oe := jsGet(ov, "enum"); oe != nil && oe.Kind() == js.Array {
			ne := jsGet(nv, "enum")
			kept := jsValueSet(ne.Elems())
			for _, a := range oe.Elems() {
				if ne != nil && !kept.has(a) {
					out = append(out, jsonDelta{kind: Removed, element: "enum_value", path: ptr + "/enum", oldVal: a.String(), oldV: a, newV: ne})
				}
			}
		}
		od, nd := jsDeprecated(ov), jsDeprecated(nv)
		if od != nd && ptr != "" {
			out = append(out, jsonDelta{kind: Changed, element: "deprecated", path: ptr, oldVal: fmt.Sprint(od), newVal: fmt.Sprint(nd), oldV: ov, newV: nv})
		}
		paired := map[string]bool{}
		for _, sub := range js.Subschemas(ov) {
			p := ptr + sub.Suffix
			paired[sub.Suffix] = true
			nsub := nv.At(sub.Suffix)
			element := jsonschema.ElementKind(sub.Suffix)
			if nsub == nil && nv != nil && nv.Kind() == js.Object {
				if element != "" {
					out = append(out, jsonDelta{kind: Removed, element: element, path: p, oldVal: jsLastToken(sub.Suffix), oldV: sub.Value, newV: nv})
				}
				continue
			}
			if nsub != nil {
				walk(sub.Value, nsub, p, depth+1)
			}
		}
		for _, sub := range js.Subschemas(nv) {
			if paired[sub.Suffix] {
				continue
			}
			if element := jsonschema.ElementKind(sub.Suffix); element != "" {
				out = append(out, jsonDelta{kind: Added, element: element, path: ptr + sub.Suffix, newVal: jsLastToken(sub.Suffix), oldV: ov, newV: sub.Value})
			}
		}
	}
	walk(o.Root(), n.Root(), "", 0)
	return out
}

func jsLastToken(suffix string) string {
	tok := suffix[strings.LastIndexByte(suffix, '/')+1:]
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
}

func jsDeprecated(v *js.Value) bool {
	d := jsGet(v, "deprecated")
	return d != nil && d.Kind() == js.Bool && d.Bool()
}

func jsTypeDesc(ts map[string]bool) string {
	if ts == nil {
		return "any type"
	}
	return jsTypeList(ts)
}

// jsonAdditive applies the additive-only policy: compared with the latest
// live version, no property or definition may disappear unless its
// deprecation has run its course (Policy.Removable), no type may change, no
// property may become required and no enum value may go.
func jsonAdditive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding {
	if len(history) == 0 {
		return nil
	}
	latest := history[len(history)-1]
	o, n := asJSON(latest.Schema), asJSON(new)
	if o == nil || n == nil {
		return nil
	}
	var out []Finding
	report := func(rule Rule, d jsonDelta, msg string) {
		out = append(out, Finding{
			RuleID:    rule.ID,
			Severity:  rule.Severity,
			Path:      jsDisplayPointer(d.path),
			New:       n.PosOf(d.newV),
			Old:       o.PosOf(d.oldV),
			Message:   fmt.Sprintf("compared with version %d, %s", latest.Version, msg),
			Version:   latest.Version,
			Direction: DirPolicy,
		})
	}
	marks := deprecationMarks(history, p.Deprecations)
	removal := func(rule Rule, d jsonDelta, what string) {
		m, ok := marks[d.path]
		if !ok {
			report(rule, d, what+" was removed without being deprecated first")
			return
		}
		if ok, why := p.Removable(m.dep, m.since); !ok {
			report(ruleJSONAdditiveDeprecatedRemovedEarly, d, fmt.Sprintf("%s was removed too early: %s", what, why))
		}
	}
	for _, d := range jsonDeltas(st, o, n) {
		switch {
		case d.kind == Removed && d.element == "property":
			removal(ruleJSONAdditivePropertyRemoved, d, fmt.Sprintf("property `%s`", d.oldVal))
		case d.kind == Removed && d.element == "definition":
			removal(ruleJSONAdditiveDefinitionRemoved, d, fmt.Sprintf("definition `%s`", d.oldVal))
		case d.kind == Changed && d.element == "type":
			report(ruleJSONAdditiveTypeChanged, d, fmt.Sprintf("the type changed from %s to %s; add a new property instead", d.oldVal, d.newVal))
		case d.kind == Added && d.element == "required":
			msg := fmt.Sprintf("property `%s` became required; data written without it no longer validates", d.newVal)
			if d.hasDefault {
				msg += " (a default does not change that)"
			}
			report(ruleJSONAdditiveRequiredAdded, d, msg)
		case d.kind == Removed && d.element == "enum_value":
			report(ruleJSONAdditiveEnumValueRemoved, d, fmt.Sprintf("enum value %s was removed", d.oldVal))
		}
	}
	return out
}

// jsonDiff lists the changes from o to n: properties and definitions added
// and removed, types, required properties, enum values and deprecation
// markers, each with its JSON Pointer and positions on both sides.
func jsonDiff(st *stopper, o, n *js.Schema) []Change {
	deltas := jsonDeltas(st, o, n)
	out := make([]Change, 0, len(deltas))
	for _, d := range deltas {
		out = append(out, Change{
			Kind:    d.kind,
			Element: d.element,
			Path:    jsDisplayPointer(d.path),
			Old:     d.oldVal,
			New:     d.newVal,
			OldPos:  o.PosOf(d.oldV),
			NewPos:  n.PosOf(d.newV),
		})
	}
	return out
}

// policyJudged drops the FORWARD findings that the removal of a property
// from an open or partially open content model raises (an earlier
// version's readers would reject a value the new schema leaves free under
// that name) when the property's deprecation has run its course: that
// removal is the end of the deprecation lifecycle, which the policy's own
// rules judge (JSON_ADDITIVE_PROPERTY_REMOVED, and
// JSON_ADDITIVE_DEPRECATED_REMOVED_EARLY while it has not run its course).
// What the removal breaks in the other direction, or for a required
// property, stays.
func (jsonChecker) policyJudged(fs []Finding, history []Version, _ schema.Schema, p Policy) []Finding {
	marks := deprecationMarks(history, p.Deprecations)
	// byPos locates, per earlier version, the deprecated elements by where
	// they are written: built once, so judging many findings stays linear.
	byPos := map[int]map[schema.Position]string{}
	out := fs[:0]
	for _, f := range fs {
		if !jsonRemovalJudged(f, history, p, marks, byPos) {
			out = append(out, f)
		}
	}
	return out
}

// jsonRemovalJudged reports whether f is a FORWARD finding about a
// property the new schema removed whose deprecation has run its course.
// The property is found in the earlier version by its position (f.Old),
// since f.Path is the way to it with references followed, and deprecations
// name where it is written.
func jsonRemovalJudged(f Finding, history []Version, p Policy, marks map[string]deprecationMark, byPos map[int]map[schema.Position]string) bool {
	if f.Direction != DirForward || !f.Old.IsValid() ||
		(f.RuleID != ruleJSONPropertyAddedToOpenContentModel.ID && f.RuleID != ruleJSONPropertyAddedNotCovered.ID) {
		return false
	}
	at, ok := byPos[f.Version]
	if !ok {
		at = jsonDeprecatedAt(history, f.Version, marks)
		byPos[f.Version] = at
	}
	path, ok := at[f.Old]
	if !ok {
		return false
	}
	m := marks[path]
	removable, _ := p.Removable(m.dep, m.since)
	return removable
}

// jsonDeprecatedAt maps the position in version's text of each element
// deprecated somewhere in the history (marks) to its path; nil when the
// history has no such JSON Schema version.
func jsonDeprecatedAt(history []Version, version int, marks map[string]deprecationMark) map[schema.Position]string {
	var old *js.Schema
	for _, v := range history {
		if v.Version == version {
			old = asJSON(v.Schema)
		}
	}
	if old == nil {
		return nil
	}
	out := make(map[schema.Position]string, len(marks))
	for _, path := range slices.Sorted(maps.Keys(marks)) {
		if pos := old.Pos(path); pos.IsValid() {
			if _, dup := out[pos]; !dup {
				out[pos] = path
			}
		}
	}
	return out
}
