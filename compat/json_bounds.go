package compat

import (
	"math/big"

	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// jsNum returns keyword k of v as an exact number, or nil.
func jsNum(v *js.Value, k string) *big.Rat {
	r, ok := jsGet(v, k).Rat()
	if !ok {
		return nil
	}
	return r
}

// boundKind says which way a size bound (maxLength, minItems, ...) is
// looser. Its value is the sign of the reader's bound compared with the
// writer's when the reader narrows it.
type boundKind int

const (
	// maxBound is looser when larger: maxLength, maxItems, maxProperties.
	maxBound boundKind = -1
	// minBound is looser when smaller: minLength, minItems, minProperties;
	// a minimum of zero is no bound at all.
	minBound boundKind = +1
)

// sizeBound reports a size bound of kind b that the reader added or
// tightened.
func (c *jsonCmp) sizeBound(b boundKind, rule Rule, kw, what string, o, u jsonSide, path string) {
	ub := jsNum(u.v, kw)
	if ub == nil || (b == minBound && ub.Sign() == 0) {
		return
	}
	on, un := c.names()
	ob := jsNum(o.v, kw)
	switch {
	case ob == nil:
		c.report(rule, path, o, u, "%s has %s %s (%s) where %s has none", un, kw, ub.RatString(), what, on)
	case ub.Cmp(ob) == int(b):
		c.report(rule, path, o, u, "%s is %s in %s but %s in %s (%s)", kw, ub.RatString(), un, ob.RatString(), on, what)
	}
}

func (c *jsonCmp) strings(o, u jsonSide, path string) {
	c.sizeBound(maxBound, ruleJSONMaxLengthNarrowed, "maxLength", "the longest string allowed", o, u, path)
	c.sizeBound(minBound, ruleJSONMinLengthNarrowed, "minLength", "the shortest string allowed", o, u, path)
	up := jsGet(u.v, "pattern")
	if up == nil {
		return
	}
	on, un := c.names()
	switch op := jsGet(o.v, "pattern"); {
	case op == nil:
		c.report(ruleJSONPatternChanged, path, o, u, "%s has pattern %s where %s has none", un, up, on)
	case op.Str() != up.Str():
		c.report(ruleJSONPatternChanged, path, o, u, "pattern is %s in %s but %s in %s", up, un, op, on)
	}
}

// jsBound is a numeric limit: its value, whether it is exclusive, and the
// keyword that set it.
type jsBound struct {
	val  *big.Rat
	excl bool
	kw   string
}

// jsNumBound returns the tighter of a schema's inclusive and exclusive
// bounds on one side (upper or lower), reading draft-04's boolean
// exclusiveMaximum/exclusiveMinimum.
func jsNumBound(s *js.Schema, v *js.Value, upper bool) *jsBound {
	incl, excl := "minimum", "exclusiveMinimum"
	if upper {
		incl, excl = "maximum", "exclusiveMaximum"
	}
	var out *jsBound
	tighter := func(b *jsBound) {
		if out == nil {
			out = b
			return
		}
		cmp := b.val.Cmp(out.val)
		if !upper {
			cmp = -cmp
		}
		if cmp < 0 || (cmp == 0 && b.excl && !out.excl) {
			out = b
		}
	}
	if r := jsNum(v, incl); r != nil {
		b := &jsBound{val: r, kw: incl}
		if e := jsGet(v, excl); e != nil && e.Kind() == js.Bool && e.Bool() {
			b.excl, b.kw = true, excl
		}
		tighter(b)
	}
	if r := jsNum(v, excl); r != nil && s.DraftOf(v) != js.Draft4 {
		tighter(&jsBound{val: r, excl: true, kw: excl})
	}
	return out
}

func (c *jsonCmp) numbers(o, u jsonSide, path string) {
	on, un := c.names()
	for _, upper := range []bool{true, false} {
		ub := jsNumBound(c.upd, u.v, upper)
		if ub == nil {
			continue
		}
		rule := map[string]Rule{"maximum": ruleJSONMaximumNarrowed, "exclusiveMaximum": ruleJSONExclusiveMaximumNarrowed,
			"minimum": ruleJSONMinimumNarrowed, "exclusiveMinimum": ruleJSONExclusiveMinimumNarrowed}[ub.kw]
		ob := jsNumBound(c.orig, o.v, upper)
		if ob == nil {
			c.report(rule, path, o, u, "%s has %s %s where %s has no such limit", un, ub.kw, ub.val.RatString(), on)
			continue
		}
		cmp := ub.val.Cmp(ob.val)
		if !upper {
			cmp = -cmp
		}
		if cmp < 0 || (cmp == 0 && ub.excl && !ob.excl) {
			c.report(rule, path, o, u, "the %s bound is %s %s in %s but %s %s in %s",
				map[bool]string{true: "upper", false: "lower"}[upper], ub.kw, ub.val.RatString(), un, ob.kw, ob.val.RatString(), on)
		}
	}
	um := jsNum(u.v, "multipleOf")
	if um == nil || um.Sign() <= 0 {
		return
	}
	om := jsNum(o.v, "multipleOf")
	switch {
	case om == nil:
		if um.IsInt() && um.Num().IsInt64() && um.Num().Int64() == 1 && jsTypeSet(o.v) != nil && jsTypeSet(o.v)["integer"] && len(jsTypeSet(o.v)) == 1 {
			return
		}
		c.report(ruleJSONMultipleOfChanged, path, o, u, "%s has multipleOf %s where %s has none", un, um.RatString(), on)
	case !new(big.Rat).Quo(om, um).IsInt():
		c.report(ruleJSONMultipleOfChanged, path, o, u, "multipleOf is %s in %s but %s in %s, which it does not divide", um.RatString(), un, om.RatString(), on)
	}
}
