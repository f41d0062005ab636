package registry

import (
	"sync/atomic"

	"github.com/maypok86/otter/v2"
)

// coherent caches one value per key and stays correct under concurrent
// invalidation: each key has an entry with a generation, bumped by
// invalidate, and a cached value counts only while the generation it was
// loaded under is current. A load that races with an invalidation
// therefore never outlives it.
//
// Entries live in a weighed cache, so they may be evicted: a load in
// flight then completes into an entry no longer reachable, and the next
// get starts afresh, which is just as correct.
type coherent[T any] struct {
	m *otter.Cache[string, *coherentEntry[T]]
}

type coherentEntry[T any] struct {
	gen atomic.Uint64
	val atomic.Pointer[coherentValue[T]]
}

type coherentValue[T any] struct {
	gen uint64
	v   T
}

// coherentEntrySize is what an entry holds besides its key: the entry,
// the value box and a small value (a config's pointers or a mode).
const coherentEntrySize = 192

func newCoherent[T any](budget uint64) coherent[T] {
	return coherent[T]{m: newWeighed(budget, func(k string, _ *coherentEntry[T]) int {
		return len(k) + coherentEntrySize
	})}
}

func (c *coherent[T]) entry(key string) *coherentEntry[T] {
	if e, ok := c.m.GetIfPresent(key); ok {
		return e
	}
	e, _ := c.m.SetIfAbsent(key, new(coherentEntry[T]))
	return e
}

// get returns the cached value for key, or loads, caches and returns it.
func (c *coherent[T]) get(key string, load func() (T, error)) (T, error) {
	e := c.entry(key)
	gen := e.gen.Load()
	if v := e.val.Load(); v != nil && v.gen == gen {
		return v.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	e.val.Store(&coherentValue[T]{gen: gen, v: v})
	return v, nil
}

// invalidate makes key's cached value stale. A key without an entry has
// nothing cached, and a load in flight for it writes into an entry that
// is no longer reachable.
func (c *coherent[T]) invalidate(key string) {
	if e, ok := c.m.GetIfPresent(key); ok {
		e.gen.Add(1)
	}
}

// invalidateAll makes every cached value stale.
func (c *coherent[T]) invalidateAll() {
	for _, e := range c.m.All() {
		e.gen.Add(1)
	}
	c.m.InvalidateAll()
}
