package compat

import (
	"github.com/schemata-dev/schemata/schema"
	js "github.com/schemata-dev/schemata/schema/jsonschema"
)

// jsonChecker applies the JSON Schema rules: the validation comparison
// (json_compare.go) for the compatibility levels, and the additive-only
// policy and structured diff (json_additive.go), which share one pairing
// of old and new subschemas by JSON Pointer.
type jsonChecker struct{}

// compare checks, for DirBackward, that the new schema accepts every value
// valid under old, and for DirForward that old accepts every value valid
// under the new schema.
func (jsonChecker) compare(st *stopper, old Version, new schema.Schema, dir Direction) []Finding {
	o, n := asJSON(old.Schema), asJSON(new)
	if o == nil || n == nil {
		return nil
	}
	budget := jsonBudget
	c := &jsonCmp{st: st, orig: o, upd: n, newIsUpd: true, version: old.Version, dir: dir, budget: &budget, sameDraft: jsOneDraft(o, n)}
	if dir == DirForward {
		c.orig, c.upd, c.newIsUpd = n, o, false
	}
	c.compare(jsRoot(c.orig), jsRoot(c.upd), "")
	return c.out
}

func (jsonChecker) additive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding {
	return jsonAdditive(st, history, new, p)
}

func (jsonChecker) diff(st *stopper, old, new schema.Schema) []Change {
	o, n := asJSON(old), asJSON(new)
	if o == nil || n == nil {
		return nil
	}
	return jsonDiff(st, o, n)
}

func asJSON(s schema.Schema) *js.Schema {
	j, _ := s.(*js.Schema)
	return j
}

func jsRoot(s *js.Schema) jsonSide {
	return jsonSide{v: s.Root(), at: s.Root()}
}

// jsOneDraft reports whether both schemas, references included, are read
// under one draft.
func jsOneDraft(a, b *js.Schema) bool {
	d := a.Draft()
	return a.Drafts() == d && b.Drafts() == d
}
