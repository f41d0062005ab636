package compat

import (
	"fmt"

	"github.com/schemata-dev/schemata/schema"
)

// avroAdditive applies the additive-only policy: compared with the latest
// live version, nothing that exists may be removed, renamed or retyped; a
// new field needs a default; an enum symbol may be added only to an enum
// that had a default. A removal is allowed when the element was deprecated
// in an earlier version and the policy says the deprecation has run its
// course (Policy.Removable).
func avroAdditive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding {
	if len(history) == 0 {
		return nil
	}
	latest := history[len(history)-1]
	o, n := asAvro(latest.Schema), asAvro(new)
	if o == nil || n == nil || o.Root() == nil || n.Root() == nil {
		return nil
	}
	var out []Finding
	report := func(rule Rule, d avroDelta, path, msg string) {
		// A removed element has no place of its own in the new schema: its
		// delta carries the path of what held it, or none for a removed
		// named type, which is located from where it was.
		at := d.newPath
		if at == "" {
			at = d.oldPath
		}
		f := Finding{
			RuleID:    rule.ID,
			Severity:  rule.Severity,
			Path:      path,
			New:       nearestPos(n, at),
			Old:       o.Pos(d.oldPath),
			Message:   fmt.Sprintf("compared with version %d, %s", latest.Version, msg),
			Version:   latest.Version,
			Direction: DirPolicy,
		}
		markEnclosing(&f, n)
		out = append(out, f)
	}
	// removal reports a removed element unless its deprecation allows it.
	var deps map[string]deprecationMark // built on the first removal
	removal := func(rule Rule, d avroDelta, what string) {
		if deps == nil {
			deps = deprecationMarks(avroVersions(history), p.Deprecations)
		}
		mark, ok := deps[d.oldPath]
		dep, since := mark.dep, mark.since
		if !ok {
			report(rule, d, d.oldPath, what+" was removed without being deprecated first")
			return
		}
		if ok, why := p.Removable(dep, since); !ok {
			report(ruleAvroAdditiveDeprecatedRemovedEarly, d, d.oldPath, fmt.Sprintf("%s was removed too early: %s", what, why))
		}
	}
	deltas := avroDeltas(st, o, n)
	// A named type removed together with the field or union branch that
	// held it is reported once, as that field or branch.
	holders := map[string]bool{}
	for _, d := range deltas {
		if d.kind == Removed && (d.element == "field" || d.element == "union_branch") {
			holders[d.oldPath] = true
		}
	}
	for _, d := range deltas {
		switch {
		case d.kind == Removed && d.element == "field":
			removal(ruleAvroAdditiveFieldRemoved, d, fmt.Sprintf("field `%s`", d.oldVal))
		case d.kind == Changed && d.element == "field" && d.renamed:
			report(ruleAvroAdditiveFieldRenamed, d, d.newPath, fmt.Sprintf("field `%s` was renamed to `%s`; add `%s` as a new field and deprecate `%s` instead", d.oldVal, d.newVal, d.newVal, d.oldVal))
		case d.kind == Changed && (d.element == "type" || d.element == "size"):
			what := fmt.Sprintf("its type changed from %s to %s", d.oldVal, d.newVal)
			if d.element == "size" {
				what = fmt.Sprintf("its fixed size changed from %s to %s bytes", d.oldVal, d.newVal)
			}
			report(ruleAvroAdditiveFieldTypeChanged, d, d.newPath, what+"; add a new field instead")
		case d.kind == Added && d.element == "field" && !d.hasDefault:
			report(ruleAvroAdditiveFieldWithoutDefault, d, d.newPath, fmt.Sprintf("new field `%s` has no default", d.newVal))
		case d.kind == Removed && d.element == "enum_symbol":
			removal(ruleAvroAdditiveEnumSymbolRemoved, d, fmt.Sprintf("enum symbol `%s`", d.oldVal))
		case d.kind == Added && d.element == "enum_symbol" && !d.hasDefault:
			report(ruleAvroAdditiveEnumSymbolWithoutDefault, d, d.newPath, fmt.Sprintf("enum symbol `%s` was added, but the enum had no default, so readers of version %d cannot read it", d.newVal, latest.Version))
		case d.kind == Removed && d.element == "union_branch":
			removal(ruleAvroAdditiveUnionBranchRemoved, d, fmt.Sprintf("union branch %s", d.oldVal))
		case d.kind == Changed && d.element == "name":
			report(ruleAvroAdditiveTypeRenamed, d, d.newPath, fmt.Sprintf("%s was renamed to %s", d.oldVal, d.newVal))
		case d.kind == Removed && (d.element == "record" || d.element == "enum" || d.element == "fixed"):
			if within(d.oldPath, holders) {
				continue
			}
			removal(ruleAvroAdditiveTypeRemoved, d, fmt.Sprintf("%s `%s`", d.element, d.oldVal))
		}
	}
	return out
}

// within reports whether path is one of roots or lies inside one of them,
// walking up from path so that the cost depends on its depth only.
func within(path string, roots map[string]bool) bool {
	for p, ok := path, true; ok; p, ok = parentPath(schema.Avro, p) {
		if roots[p] {
			return true
		}
	}
	return false
}

// avroVersions returns the versions of history whose schema is Avro: the
// Avro policy reads deprecation markers from those only.
func avroVersions(history []Version) []Version {
	out := make([]Version, 0, len(history))
	for _, v := range history {
		if asAvro(v.Schema) != nil {
			out = append(out, v)
		}
	}
	return out
}
