// Package stop lets the parsers' walks notice that their caller has gone
// (a client that left, a server shutting down) and stop working.
//
// A Stopper is ticked once per element a walk visits; every few hundred
// ticks it looks at its context and, once the context is done, panics
// with a Stopped carrying the context's error. The parser's entry point
// turns that back into its error with Recover. A panic keeps the
// recursive walkers free of error plumbing; it never crosses a parser's
// API.
package stop

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/schemata-dev/schemata/schema"
)

// every is how many elements a walk visits between two looks at its
// context: often enough to stop within a millisecond or so, rarely enough
// to cost nothing measurable.
const every = 256

// Stopper counts the work of one parse. A nil Stopper never stops.
type Stopper struct {
	ctx context.Context
	n   uint32
}

// Stopped carries the context's error out of a walk.
type Stopped struct{ Err error }

// New returns a Stopper for ctx; nil when ctx can never be done.
func New(ctx context.Context) *Stopper {
	if ctx == nil || ctx.Done() == nil {
		return nil
	}
	return &Stopper{ctx: ctx}
}

// Tick counts one element and, every few hundred, looks at the context.
func (s *Stopper) Tick() {
	if s == nil {
		return
	}
	s.n++
	if s.n%every == 0 {
		s.Check()
	}
}

// Check looks at the context now, between two phases of a parse.
func (s *Stopper) Check() {
	if s == nil {
		return
	}
	if err := s.ctx.Err(); err != nil {
		panic(Stopped{err})
	}
}

// Recover turns r, the value a parser of format recovered from a panic,
// into the parser's error: the context's error when r is a stop, and
// otherwise a *schema.ParseError reporting an internal error, with the
// stack of the panic. Call it from the parser's deferred function.
func Recover(format schema.Format, r any) error {
	if s, ok := r.(Stopped); ok {
		return s.Err
	}
	return &schema.ParseError{
		Format:  format,
		Message: fmt.Sprintf("internal error while parsing: %v", r),
		Err:     fmt.Errorf("panic: %v\n%s", r, debug.Stack()),
	}
}
