package jsonschema

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/schema/internal/stop"
)

// Keywords whose value is one subschema, an array of subschemas, or an
// object whose member values are subschemas. Other keywords hold data
// ("enum", "const", "default", ...) and are never walked as schemas.
var (
	schemaKeywords = []string{"additionalProperties", "additionalItems", "items", "contains", "propertyNames",
		"not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
	schemaArrayKeywords = []string{"allOf", "anyOf", "oneOf", "prefixItems", "items"}
	schemaMapKeywords   = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}
)

// eachSubschema calls fn with the JSON Pointer suffix and value of every
// direct subschema of v.
func eachSubschema(v *Value, fn func(suffix string, sub *Value)) {
	if v.Kind() != Object {
		return
	}
	for _, k := range schemaKeywords {
		if sub := v.Get(k); sub != nil && (sub.Kind() == Object || sub.Kind() == Bool) {
			fn("/"+EscapeToken(k), sub)
		}
	}
	for _, k := range schemaArrayKeywords {
		if arr := v.Get(k); arr != nil && arr.Kind() == Array {
			for i, sub := range arr.elems {
				fn("/"+k+"/"+strconv.Itoa(i), sub)
			}
		}
	}
	for _, k := range schemaMapKeywords {
		if m := v.Get(k); m != nil && m.Kind() == Object {
			for _, mm := range m.members {
				if mm.Value.Kind() == Object || mm.Value.Kind() == Bool {
					fn("/"+EscapeToken(k)+"/"+EscapeToken(mm.Key), mm.Value)
				}
			}
		}
	}
}

// pendingRef is a "$ref" waiting for every resource to be known.
type pendingRef struct {
	from *Value
	doc  *document
	uri  string // the reference resolved against its base
	raw  *Value
}

// resolveRefs indexes the resources ("$id") and anchors of every document,
// then resolves every "$ref"; one that does not resolve is an error at its
// position. Cycles are fine: targets are values, never copies.
func (s *Schema) resolveRefs(st *stop.Stopper) error {
	resources := map[string]*Value{}
	anchors := map[string]*Value{}
	var pending []pendingRef
	var walk func(d *document, v *Value, base string, depth int)
	walk = func(d *document, v *Value, base string, depth int) {
		st.Tick()
		if v.Kind() != Object {
			return
		}
		idKey := "$id"
		if d.draft == Draft4 {
			idKey = "id"
		}
		if id := v.Get(idKey); id != nil && id.Kind() == String {
			u, frag := splitFragment(resolveURI(base, id.Str()))
			if strings.HasPrefix(id.Str(), "#") && d.draft < Draft2019 {
				anchors[base+"#"+frag] = v
			} else {
				base = u
				if _, dup := resources[u]; !dup {
					resources[u] = v
				}
			}
		}
		if a := v.Get("$anchor"); a != nil && a.Kind() == String {
			anchors[base+"#"+a.Str()] = v
		}
		if a := v.Get("$dynamicAnchor"); a != nil && a.Kind() == String {
			anchors[base+"#"+a.Str()] = v
		}
		for _, k := range []string{"$ref", "$dynamicRef", "$recursiveRef"} {
			if r := v.Get(k); r != nil && r.Kind() == String {
				pending = append(pending, pendingRef{from: v, doc: d, uri: resolveURI(base, r.Str()), raw: r})
				break
			}
		}
		eachSubschema(v, func(_ string, sub *Value) { walk(d, sub, base, depth+1) })
	}
	for _, d := range s.docs {
		if _, dup := resources[d.url]; !dup {
			resources[d.url] = d.root
		}
		walk(d, d.root, d.url, 0)
	}
	s.refs = make(map[*Value]*Value, len(pending))
	for _, p := range pending {
		target, err := s.lookupRef(p.uri, resources, anchors)
		if err != nil {
			// Name the reference as written, not as resolved against the
			// registry's internal base URI.
			msg := strings.Replace(err.Error(), strconv.Quote(p.uri), strconv.Quote(p.raw.Str()), 1)
			return p.doc.errorAt(p.raw.off, "%s", msg)
		}
		s.refs[p.from] = target
	}
	return nil
}

func (s *Schema) lookupRef(uri string, resources, anchors map[string]*Value) (*Value, error) {
	u, frag := splitFragment(uri)
	root := resources[u]
	if root == nil {
		if d := s.docByURL(u); d != nil {
			root = d.root
		}
	}
	if root == nil {
		return nil, fmt.Errorf("cannot resolve $ref %q: no such schema among the references", uri)
	}
	if frag == "" {
		return root, nil
	}
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	if strings.HasPrefix(frag, "/") {
		if v := lookupPointer(root, frag); v != nil {
			return v, nil
		}
		return nil, fmt.Errorf("cannot resolve $ref %q: no value at JSON Pointer %s", uri, frag)
	}
	if v := anchors[u+"#"+frag]; v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("cannot resolve $ref %q: no anchor %q", uri, frag)
}

// Subschema is a direct subschema of a schema object.
type Subschema struct {
	// Suffix is the JSON Pointer from the parent to the subschema, e.g.
	// "/properties/name" or "/allOf/0".
	Suffix string
	Value  *Value
}

// Subschemas lists the direct subschemas of v: the values of its
// schema-valued keywords, in a fixed keyword order.
func Subschemas(v *Value) []Subschema {
	var out []Subschema
	eachSubschema(v, func(suffix string, sub *Value) { out = append(out, Subschema{suffix, sub}) })
	return out
}

// At returns the value at JSON Pointer ptr relative to v, or nil.
func (v *Value) At(ptr string) *Value { return lookupPointer(v, ptr) }

// String renders v as compact JSON.
func (v *Value) String() string { return render(v) }
