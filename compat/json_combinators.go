package compat

import (
	"fmt"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

func (c *jsonCmp) not(o, u jsonSide, path string) {
	un := jsGet(u.v, "not")
	if un == nil || jsIsFalse(un) {
		return
	}
	onm, unm := c.names()
	us := jsChild(c.upd, u, un)
	on := jsGet(o.v, "not")
	if on == nil {
		c.report(ruleJSONNotExtended, path+"/not", o, us, "%s has not %s, which rejects values %s allows", unm, un, onm)
		return
	}
	// Values u rejects (those matching u's "not") must be values o
	// rejected: u.not ⊆ o.not, a comparison the other way round.
	if !c.accepts(us, jsChild(c.orig, o, on), true) {
		c.report(ruleJSONNotExtended, path+"/not", jsChild(c.orig, o, on), us, "the not schema of %s matches values the one of %s does not, so %s rejects values %s allows", unm, onm, unm, onm)
	}
}

// combinators compares allOf (a product: the reader's parts must each be
// implied by the writer) and oneOf/anyOf (a sum: each of the writer's
// alternatives must be accepted by one of the reader's).
func (c *jsonCmp) combinators(o, u jsonSide, path string) {
	onm, unm := c.names()
	if ua := jsGet(u.v, "allOf"); ua != nil {
		oa := jsGet(o.v, "allOf")
		for i, ub := range ua.Elems() {
			us := jsChild(c.upd, u, ub)
			if c.implied(o, oa, i, us) {
				continue
			}
			if oa != nil && i < len(oa.Elems()) && len(ua.Elems()) <= len(oa.Elems()) {
				c.compare(jsChild(c.orig, o, oa.Elems()[i]), us, fmt.Sprintf("%s/allOf/%d", path, i))
				continue
			}
			c.report(ruleJSONProductTypeExtended, fmt.Sprintf("%s/allOf/%d", path, i), o, us, "%s has an allOf part that rejects values %s allows", unm, onm)
		}
	}
	for _, ukw := range []string{"oneOf", "anyOf"} {
		ua := jsGet(u.v, ukw)
		if ua == nil {
			continue
		}
		okw := ukw
		oa := jsGet(o.v, ukw)
		if oa == nil && ukw == "anyOf" {
			okw, oa = "oneOf", jsGet(o.v, "oneOf")
		}
		if oa == nil && ukw == "oneOf" && jsGet(o.v, "anyOf") != nil {
			c.report(ruleJSONCombinedTypeChanged, path+"/oneOf", o, jsChild(c.upd, u, ua), "%s has oneOf where %s has anyOf, so values matching several branches are rejected", unm, onm)
			continue
		}
		if oa == nil {
			if !c.anyAccepts(o, u, ua, nil) {
				c.report(ruleJSONSumTypeNarrowed, path+"/"+ukw, o, jsChild(c.upd, u, ua), "none of the %s branches of %s accepts every value %s allows", ukw, unm, onm)
			}
			continue
		}
		used := make([]bool, len(ua.Elems()))
		for i, ob := range oa.Elems() {
			os := jsChild(c.orig, o, ob)
			if c.anyAccepts(os, u, ua, used) {
				continue
			}
			p := fmt.Sprintf("%s/%s/%d", path, ukw, i)
			if len(ua.Elems()) >= len(oa.Elems()) && i < len(used) && !used[i] {
				used[i] = true
				c.compare(os, jsChild(c.upd, u, ua.Elems()[i]), p)
				continue
			}
			c.report(ruleJSONSumTypeNarrowed, fmt.Sprintf("%s/%s/%d", path, okw, i), os, jsChild(c.upd, u, ua),
				"branch %d of %s in %s is accepted by no branch of %s in %s", i, okw, onm, ukw, unm)
		}
	}
}

// implied reports whether allOf part i of the reader (us) accepts every
// value of the writer: of the writer's own allOf part i or any other, or of
// the writer's schema as a whole.
func (c *jsonCmp) implied(o jsonSide, oa *js.Value, i int, us jsonSide) bool {
	if oa != nil {
		elems := oa.Elems()
		if i < len(elems) && c.accepts(jsChild(c.orig, o, elems[i]), us, false) {
			return true
		}
		for j, ob := range elems {
			if j != i && c.accepts(jsChild(c.orig, o, ob), us, false) {
				return true
			}
		}
	}
	return c.accepts(o, us, false)
}

// anyAccepts reports whether some branch of ua not yet used accepts every
// value of os, marking it used; used may be nil when branches may be
// shared.
func (c *jsonCmp) anyAccepts(os, u jsonSide, ua *js.Value, used []bool) bool {
	for j, ub := range ua.Elems() {
		if used != nil && used[j] {
			continue
		}
		if c.accepts(os, jsChild(c.upd, u, ub), false) {
			if used != nil {
				used[j] = true
			}
			return true
		}
	}
	return false
}
