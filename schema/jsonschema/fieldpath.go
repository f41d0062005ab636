package jsonschema

import (
	"fmt"
	"strings"
	"sync"
)

// A field path names a value inside the data a schema describes, the way a
// consumer thinks of it, in the notation the Avro and Protobuf consumers
// use:
//
//	customer.email       property email of property customer
//	items[].sku          property sku of every item of array items
//	attributes{}.value   property value of every value of a map-like object
//	[].id                property id of every item of a root array
//
// A step is a property name, optionally followed by any number of "[]"
// (the array's items) and "{}" (the object's additionalProperties). Names
// holding '.', '[', ']', '{', '}' or '/' cannot be written this way; a
// JSON Pointer to the subschema ("/properties/a.b") names those.

// StepKind says what one step of a field path selects.
type StepKind uint8

// The kinds of step.
const (
	// StepProperty selects a property by name.
	StepProperty StepKind = iota
	// StepItems selects the items of an array ("[]").
	StepItems
	// StepValues selects the values of a map-like object ("{}"): its
	// additionalProperties (or unevaluatedProperties) schema.
	StepValues
)

// Step is one step of a field path.
type Step struct {
	Kind StepKind
	// Name is the property name of a StepProperty.
	Name string
}

// maxFieldPathSteps bounds a field path; schemas nest at most MaxDepth
// levels, so a longer path cannot resolve.
const maxFieldPathSteps = MaxDepth

// ParseFieldPath reads a field path in the notation above.
func ParseFieldPath(path string) ([]Step, error) {
	if path == "" {
		return nil, fmt.Errorf("empty field path")
	}
	var steps []Step
	rest := path
	for first := true; ; first = false {
		n := strings.IndexAny(rest, ".[]{}/")
		if n < 0 {
			n = len(rest)
		}
		name := rest[:n]
		rest = rest[n:]
		switch {
		case name != "":
			steps = append(steps, Step{Kind: StepProperty, Name: name})
		case !first || !(strings.HasPrefix(rest, "[]") || strings.HasPrefix(rest, "{}")):
			// Only a root array or map may start without a name.
			return nil, fmt.Errorf("field path %q: expected a property name at offset %d", path, len(path)-len(rest))
		}
	suffixes:
		for len(rest) > 0 {
			switch {
			case strings.HasPrefix(rest, "[]"):
				steps = append(steps, Step{Kind: StepItems})
			case strings.HasPrefix(rest, "{}"):
				steps = append(steps, Step{Kind: StepValues})
			default:
				break suffixes
			}
			rest = rest[2:]
		}
		if len(steps) > maxFieldPathSteps {
			return nil, fmt.Errorf("field path %q has more than %d steps", path, maxFieldPathSteps)
		}
		if rest == "" {
			return steps, nil
		}
		if rest[0] != '.' {
			return nil, fmt.Errorf("field path %q: unexpected %q at offset %d (write a property path such as customer.email or items[].sku, or a JSON Pointer)", path, rest[0], len(path)-len(rest))
		}
		rest = rest[1:]
		if rest == "" {
			return nil, fmt.Errorf("field path %q ends with '.'", path)
		}
	}
}

// FormatFieldPath writes steps in the notation ParseFieldPath reads.
func FormatFieldPath(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		switch s.Kind {
		case StepItems:
			b.WriteString("[]")
		case StepValues:
			b.WriteString("{}")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		}
	}
	return b.String()
}

// IsPointer reports whether a path is written as a JSON Pointer ("/...",
// or "#/..." as in a "$ref") rather than as a field path.
func IsPointer(path string) bool {
	return strings.HasPrefix(path, "/") || strings.HasPrefix(path, "#/") || path == "#"
}

// Located is a subschema reached by a field path.
type Located struct {
	Value *Value
	// Pointer is the JSON Pointer of Value in the schema text, or, when
	// Value lives in a referenced schema (External), the way to it from
	// the root.
	Pointer  string
	External bool
}

// Resolution is where a field path leads in a schema.
type Resolution struct {
	// Target is the subschema of the last step, as written: a "$ref" is
	// not followed, so a property defined as {"$ref": ...} is located at
	// the property. Targets also lists the subschemas its references
	// lead to.
	Target  Located
	Targets []Located
	// Through are the subschemas the path passes through before its last
	// step, with the targets of the references it followed: removing any
	// of them removes what the path names.
	Through []Located
}

// ResolveFieldPath follows a field path from the root of s: through
// "$ref" (within the schema and into referenced schemas), and, where a
// schema does not declare a property itself, into its allOf, anyOf and
// oneOf branches. It returns false when some step leads nowhere.
func (s *Schema) ResolveFieldPath(steps []Step) (Resolution, bool) {
	var res Resolution
	cur := s.locate(s.Root(), "")
	for i, st := range steps {
		targets := s.derefAll(cur)
		if i > 0 {
			res.Through = append(res.Through, cur)
			res.Through = append(res.Through, targets[1:]...)
		}
		next, ok := s.step(targets[len(targets)-1], st, 0, map[*Value]bool{})
		if !ok {
			return Resolution{}, false
		}
		cur = next
	}
	res.Target = cur
	res.Targets = s.derefAll(cur)[1:]
	return res, true
}

// derefAll returns l followed by the subschemas its "$ref" chain leads to.
func (s *Schema) derefAll(l Located) []Located {
	out := []Located{l}
	for range 64 {
		t := s.Ref(l.Value)
		if t == nil {
			break
		}
		l = s.locate(t, l.Pointer)
		out = append(out, l)
	}
	return out
}

// locate pairs v with its pointer in the schema text; way is the pointer
// used for a value of a referenced schema.
func (s *Schema) locate(v *Value, way string) Located {
	if p, ok := s.pointers()[v]; ok {
		return Located{Value: v, Pointer: p}
	}
	return Located{Value: v, Pointer: way, External: true}
}

// step applies one step to the subschema at l, searching the combinator
// branches when l itself does not have what the step selects.
func (s *Schema) step(l Located, st Step, depth int, seen map[*Value]bool) (Located, bool) {
	v := l.Value
	if v == nil || v.Kind() != Object || depth > 16 || seen[v] {
		return Located{}, false
	}
	seen[v] = true
	var suffix string
	var sub *Value
	switch st.Kind {
	case StepProperty:
		if props := v.Get("properties"); props != nil && props.Kind() == Object {
			sub, suffix = props.Get(st.Name), "/properties/"+EscapeToken(st.Name)
		}
	case StepItems:
		sub, suffix = v.Get("items"), "/items"
		if sub != nil && sub.Kind() == Array {
			sub = nil // a tuple: no one schema for every item
		}
	case StepValues:
		sub, suffix = v.Get("additionalProperties"), "/additionalProperties"
		if sub == nil {
			sub, suffix = v.Get("unevaluatedProperties"), "/unevaluatedProperties"
		}
	}
	if sub != nil && (sub.Kind() == Object || sub.Kind() == Bool) {
		return s.locate(sub, l.Pointer+suffix), true
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		arr := v.Get(kw)
		if arr == nil || arr.Kind() != Array {
			continue
		}
		for i, b := range arr.Elems() {
			bl := s.locate(b, fmt.Sprintf("%s/%s/%d", l.Pointer, kw, i))
			chain := s.derefAll(bl)
			if got, ok := s.step(chain[len(chain)-1], st, depth+1, seen); ok {
				return got, true
			}
		}
	}
	return Located{}, false
}

// pointers maps every subschema of the schema text to its JSON Pointer,
// computed once.
func (s *Schema) pointers() map[*Value]string {
	s.ptrOnce.Do(func() {
		s.ptrs = map[*Value]string{}
		var walk func(v *Value, ptr string)
		walk = func(v *Value, ptr string) {
			s.ptrs[v] = ptr
			eachSubschema(v, func(suffix string, sub *Value) { walk(sub, ptr+suffix) })
		}
		walk(s.Root(), "")
	})
	return s.ptrs
}

// HasSubschema reports whether JSON Pointer ptr names a subschema of the
// schema text (the root, a property, a definition, items, a branch, ...),
// not a keyword's data.
func (s *Schema) HasSubschema(ptr string) bool {
	v := s.Lookup(ptr)
	if v == nil {
		return false
	}
	p, ok := s.pointers()[v]
	return ok && p == ptr
}

// pointerIndex is the lazily built map behind pointers.
type pointerIndex struct {
	ptrOnce sync.Once
	ptrs    map[*Value]string
}

// ResolvePath resolves a path as a consumer or a deprecation names an
// element: a JSON Pointer to a subschema of the schema text ("/properties/id",
// "#/$defs/Address"), or a field path (see ParseFieldPath). It returns
// false when the path is malformed or names nothing.
func (s *Schema) ResolvePath(path string) (Resolution, bool) {
	if IsPointer(path) {
		ptr := strings.TrimPrefix(path, "#")
		if ptr == "/" {
			ptr = ""
		}
		if !s.HasSubschema(ptr) {
			return Resolution{}, false
		}
		l := Located{Value: s.Lookup(ptr), Pointer: ptr}
		return Resolution{Target: l, Targets: s.derefAll(l)[1:]}, true
	}
	steps, err := ParseFieldPath(path)
	if err != nil {
		return Resolution{}, false
	}
	return s.ResolveFieldPath(steps)
}
