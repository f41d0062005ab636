package avro

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// checkDefault reports whether def is a valid default for t, following the
// specification's table of default values: a union's default matches its
// FIRST branch; bytes and fixed defaults are strings of code points 0-255
// (a fixed default of exactly size bytes); a record default is an object
// giving every field without a default of its own.
//
// maxDepth bounds the recursion: a default nests no deeper than the JSON
// text, except through unions (one level each, without JSON nesting) and
// through record fields falling back on their own defaults, which can
// recurse without end.
func checkDefault(t *node, def *jvalue, maxDepth int) *posError {
	return checkDefaultAt(t, def, 0, 2*maxDepth)
}

func checkDefaultAt(t *node, def *jvalue, depth, maxDepth int) *posError {
	if depth > maxDepth {
		return errorAt(def.off, "the default never ends: a record default falls back on a recursive field default")
	}
	t = t.deref()
	bad := func(want string) *posError {
		return errorAt(def.off, "%s is not %s", describe(def), want)
	}
	switch t.kind {
	case "null":
		if def.kind != jNull {
			return bad("null")
		}
	case "boolean":
		if def.kind != jBool {
			return bad("a boolean")
		}
	case "int":
		i, ok := integer(def)
		if !ok || i < math.MinInt32 || i > math.MaxInt32 {
			return bad("an int (a whole number between -2^31 and 2^31-1)")
		}
	case "long":
		if _, ok := integer(def); !ok {
			return bad("a long (a whole number between -2^63 and 2^63-1)")
		}
	case "float", "double":
		if def.kind != jNumber {
			return bad("a number")
		}
		if _, err := strconv.ParseFloat(def.text, 64); err != nil {
			return bad("a representable " + t.kind)
		}
	case "string":
		if def.kind != jString {
			return bad("a string")
		}
	case "bytes", "fixed":
		if def.kind != jString {
			return bad("a string of bytes")
		}
		for _, r := range def.text {
			if r > 255 {
				return errorAt(def.off, "bytes defaults hold only code points 0-255, found %q", r)
			}
		}
		if n := utf8.RuneCountInString(def.text); t.kind == "fixed" && n != t.size {
			return errorAt(def.off, "default has %d bytes but fixed %q has %d", n, t.fullName(), t.size)
		}
	case "enum":
		if def.kind != jString {
			return bad("an enum symbol")
		}
		for _, s := range t.symbols {
			if s == def.text {
				return nil
			}
		}
		return errorAt(def.off, "%q is not a symbol of enum %q", def.text, t.fullName())
	case "array":
		if def.kind != jArray {
			return bad("an array")
		}
		for _, e := range def.elems {
			if err := checkDefaultAt(t.items, e, depth+1, maxDepth); err != nil {
				return err
			}
		}
	case "map":
		if def.kind != jObject {
			return bad("an object (map)")
		}
		for _, m := range def.members {
			if err := checkDefaultAt(t.values, m.val, depth+1, maxDepth); err != nil {
				return err
			}
		}
	case "union":
		if len(t.branches) == 0 {
			return errorAt(def.off, "an empty union has no default")
		}
		if err := checkDefaultAt(t.branches[0], def, depth+1, maxDepth); err != nil {
			err.msg += " (a union's default must match its first branch)"
			return err
		}
	case "record", "error":
		if def.kind != jObject {
			return bad("an object (record)")
		}
		for _, f := range t.fields {
			v := def.get(f.name)
			if v == nil {
				if f.def == nil {
					return errorAt(def.off, "record default lacks field %q, which has no default of its own", f.name)
				}
				// The field's own default fills in; it was checked on its
				// own, but a recursive type can make the filling endless.
				if err := checkDefaultAt(f.typ, f.def, depth+1, maxDepth); err != nil {
					err.off = def.off
					return err
				}
				continue
			}
			if err := checkDefaultAt(f.typ, v, depth+1, maxDepth); err != nil {
				return err
			}
		}
	}
	return nil
}
