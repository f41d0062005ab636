package compat

import (
	"maps"
	"regexp"
	"slices"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

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

// jsonMatcher matches property names against patternProperties for one
// check: it compiles each pattern once and keeps the compiled patterns
// only as long as the check, since they come from schema text.
type jsonMatcher struct {
	left     int                       // matches left (see jsonMatchBudget)
	compiled map[string]*regexp.Regexp // nil when not a Go regexp
}

func (m *jsonMatcher) matches(pattern, name string) bool {
	re, ok := m.compiled[pattern]
	if !ok {
		re, _ = regexp.Compile(pattern)
		m.compiled[pattern] = re
	}
	return re != nil && re.MatchString(name)
}

// jsonMatchBudget bounds the patternProperties matches of one check:
// every property one side lacks is matched against every pattern of the
// other, so a schema of many properties against one of many patterns
// would otherwise cost their product. Past the budget, such properties
// are taken as unconstrained and nothing more is reported about them.
const jsonMatchBudget = 250_000

// matcher returns the check's matcher, shared by c and every probe made
// from it.
func (c *jsonCmp) matcher() *jsonMatcher {
	if c.matches == nil {
		c.matches = &jsonMatcher{left: jsonMatchBudget, compiled: map[string]*regexp.Regexp{}}
	}
	return c.matches
}

// governing returns the subschemas that apply to an undeclared property
// name under content model m: the matching patternProperties, else the
// rest schema; open is true when nothing constrains it.
func (c *jsonCmp) governing(m jsContentModel, name string) (subs []*js.Value, open bool) {
	if m.patterns != nil {
		mt := c.matcher()
		for _, pm := range m.patterns.Members() {
			c.st.tick()
			if mt.left <= 0 {
				return nil, true
			}
			mt.left--
			if mt.matches(pm.Key, name) {
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
		ums := uProps.Members()
		for i, m := range oProps.Members() {
			if i < len(ums) && ums[i].Key == m.Key && m.SameValue(ums[i]) && c.sameDraft {
				continue
			}
			up := jsMember(uProps, i, m.Key)
			if c.same(m.Value, up) {
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
			subs, open := c.governing(uModel, m.Key)
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
			subs, open := c.governing(oModel, m.Key)
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
	c.sizeBound(maxBound, ruleJSONMaxPropertiesNarrowed, "maxProperties", "the most properties allowed", o, u, path)
	c.sizeBound(minBound, ruleJSONMinPropertiesNarrowed, "minProperties", "the fewest properties allowed", o, u, path)
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
	for _, k := range slices.Sorted(maps.Keys(uReq)) {
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
	for _, k := range slices.Sorted(maps.Keys(uSch)) {
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
