package compat

import (
	"context"
	"sync/atomic"
)

// stopEvery is how many elements a walk visits between two looks at its
// context: often enough to stop within a millisecond or so, rarely
// enough to cost nothing measurable.
const stopEvery = 256

// walked counts the elements visited by every walk, in steps of
// stopEvery.
var walked atomic.Int64

// Walked returns how many schema elements the checks and diffs of this
// process have visited, counted in steps of 256: a measure of the
// checker's work, for metrics and for tests that a cancelled check stops
// working.
func Walked() int64 { return walked.Load() }

// stopper lets a walk over two schemas notice that its caller has gone
// (a client that left, a server shutting down) and stop: tick, called
// once per element visited, panics with stopped once the context is done,
// and catch, deferred by the entry point, turns that into its error. A
// panic keeps the walkers free of error plumbing; it never crosses the
// package's API. A nil stopper never stops.
type stopper struct {
	ctx context.Context
	n   uint32
}

// stopped carries the context's error out of a walk.
type stopped struct{ err error }

func newStopper(ctx context.Context) *stopper { return &stopper{ctx: ctx} }

// tick counts one element and, every stopEvery, looks at the context.
func (s *stopper) tick() {
	if s == nil {
		return
	}
	s.n++
	if s.n%stopEvery != 0 {
		return
	}
	walked.Add(stopEvery)
	if err := s.ctx.Err(); err != nil {
		panic(stopped{err})
	}
}

// catch, deferred, recovers a stop and sets *err to its error; any other
// panic goes on.
func catch(err *error) {
	r := recover()
	if r == nil {
		return
	}
	s, ok := r.(stopped)
	if !ok {
		panic(r)
	}
	*err = s.err
}
