package jsonschema

import (
	"strings"
	"time"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// DeprecationKeyword is the annotation that gives a deprecated property or
// definition a reason, a sunset date and a replacement:
//
//	"legacy": {
//	  "type": "string",
//	  "deprecated": true,
//	  "x-deprecation": {"reason": "unused", "sunset": "2026-06-30", "replacement": "/properties/current"}
//	}
//
// "deprecated" must be a boolean from 2019-09 on, so the details live in a
// keyword of their own that every draft ignores.
const DeprecationKeyword = "x-deprecation"

// readDeprecations lists the deprecated properties and definitions of the
// schema, walking its subschemas in text order.
func readDeprecations(st *stop.Stopper, d *document) ([]schema.Deprecation, error) {
	var out []schema.Deprecation
	var firstErr error
	var walk func(v *Value, ptr string)
	walk = func(v *Value, ptr string) {
		st.Tick()
		eachSubschema(v, func(suffix string, sub *Value) {
			p := ptr + suffix
			if kind := ElementKind(suffix); kind != "" && sub.Kind() == Object {
				dep, ok, err := deprecationOf(d, sub, p, kind)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if ok {
					out = append(out, dep)
				}
			}
			walk(sub, p)
		})
	}
	walk(d.root, "")
	return out, firstErr
}

// ElementKind names the element that the subschema at a JSON Pointer
// suffix is: "property" (under properties) or "definition" (under $defs
// or definitions); "" for other subschemas, which are not named elements
// and carry no deprecation.
func ElementKind(suffix string) string {
	switch {
	case strings.HasPrefix(suffix, "/properties/"):
		return "property"
	case strings.HasPrefix(suffix, "/$defs/"), strings.HasPrefix(suffix, "/definitions/"):
		return "definition"
	}
	return ""
}

func deprecationOf(d *document, v *Value, ptr, kind string) (schema.Deprecation, bool, error) {
	dep := schema.Deprecation{Path: ptr, Kind: kind}
	mark := v.Get("deprecated")
	details := v.Get(DeprecationKeyword)
	if mark == nil || mark.Kind() != Bool || !mark.Bool() {
		if details != nil {
			return dep, false, d.errorAt(details.off, "%q needs \"deprecated\": true beside it", DeprecationKeyword)
		}
		if mark != nil && mark.Kind() != Bool {
			return dep, false, d.errorAt(mark.off, "\"deprecated\" must be a boolean, not %s", mark.Kind())
		}
		return dep, false, nil
	}
	line, col := d.lines.Pos(keyOffset(v, "deprecated"))
	dep.Pos = schema.Position{Line: line, Column: col}
	if details == nil {
		return dep, true, nil
	}
	if details.Kind() != Object {
		return dep, false, d.errorAt(details.off, "%q must be an object {\"reason\", \"sunset\", \"replacement\"}, not %s", DeprecationKeyword, details.Kind())
	}
	for _, m := range details.members {
		if m.Value.Kind() != String {
			return dep, false, d.errorAt(m.Value.off, "%s.%s must be a string, not %s", DeprecationKeyword, m.Key, m.Value.Kind())
		}
		switch m.Key {
		case "reason":
			dep.Reason = m.Value.Str()
		case "replacement":
			dep.Replacement = m.Value.Str()
		case "sunset":
			t, err := time.Parse(time.DateOnly, m.Value.Str())
			if err != nil {
				return dep, false, d.errorAt(m.Value.off, "%s.sunset must be a date written YYYY-MM-DD, not %q", DeprecationKeyword, m.Value.Str())
			}
			dep.Sunset = t
		default:
			return dep, false, d.errorAt(m.off, "unknown %s attribute %q (expected reason, sunset or replacement)", DeprecationKeyword, m.Key)
		}
	}
	return dep, true, nil
}

// keyOffset returns the offset of member key's name in object v.
func keyOffset(v *Value, key string) int {
	for _, m := range v.members {
		if m.Key == key {
			return m.off
		}
	}
	return v.off
}
