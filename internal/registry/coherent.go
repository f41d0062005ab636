package registry

import (
	"sync"
	"sync/atomic"
)

// coherent caches one value per key and stays correct under concurrent
// invalidation: each key has a generation, bumped by invalidate, and a
// cached value counts only while the generation it was loaded under is
// current. A load that races with an invalidation therefore never
// outlives it.
type coherent[T any] struct {
	m sync.Map // key → *coherentEntry[T]
}

type coherentEntry[T any] struct {
	gen atomic.Uint64
	val atomic.Pointer[coherentValue[T]]
}

type coherentValue[T any] struct {
	gen uint64
	v   T
}

func (c *coherent[T]) entry(key string) *coherentEntry[T] {
	if e, ok := c.m.Load(key); ok {
		return e.(*coherentEntry[T])
	}
	e, _ := c.m.LoadOrStore(key, new(coherentEntry[T]))
	return e.(*coherentEntry[T])
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

// invalidate makes key's cached value stale.
func (c *coherent[T]) invalidate(key string) { c.entry(key).gen.Add(1) }

// invalidateAll makes every cached value stale.
func (c *coherent[T]) invalidateAll() {
	c.m.Range(func(_, e any) bool {
		e.(*coherentEntry[T]).gen.Add(1)
		return true
	})
}
