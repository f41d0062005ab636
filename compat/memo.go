package compat

import (
	"runtime"
	"sync"
	"weak"
)

// schemaMemo keeps one value derived from each schema, such as its path
// index, for as long as the schema lives: the additive policy asks whether
// a consumer reads each removed element, and a field-path consumer
// resolves each of its fields, so building the index once per schema
// rather than once per question keeps those checks linear. An entry goes
// when its schema is collected; the value must not refer to the schema.
type schemaMemo[S, V any] struct{ m sync.Map } // weak.Pointer[S] -> V

// get returns the value for s, building it on first use.
func (c *schemaMemo[S, V]) get(s *S, build func(*S) V) V {
	k := weak.Make(s)
	if v, ok := c.m.Load(k); ok {
		return v.(V)
	}
	v, loaded := c.m.LoadOrStore(k, build(s))
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[S]) { c.m.Delete(k) }, k)
	}
	return v.(V)
}
