// Package clocktest is a clock for tests: code under test reads the time
// from Clock.Now (injected where the code takes a now function), and the
// test sets or advances it, so that expiries, sunsets and refills happen
// exactly when the test says.
//
// clocktest is for tests only and depends on the standard library alone.
package clocktest

import (
	"sync"
	"time"
)

// Clock is a settable time source, safe for concurrent use: a server's
// goroutines may read it while the test moves it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock reading t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time. Pass the method value (c.Now) as the now
// function of the code under test.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, forwards or back.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forwards by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
