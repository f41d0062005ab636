package compat

import (
	"fmt"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

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
	c.sizeBound(maxBound, ruleJSONMaxItemsNarrowed, "maxItems", "the most items allowed", o, u, path)
	c.sizeBound(minBound, ruleJSONMinItemsNarrowed, "minItems", "the fewest items allowed", o, u, path)
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

// after describes the items a rest schema governs: those after the tuple.
func after(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" after the first %d", n)
}
