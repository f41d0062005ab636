// Package ratelimit limits request rates per key (the authenticated
// principal, or the client address for anonymous callers) with token
// buckets from golang.org/x/time/rate, and answers excess requests with
// 429 and a Confluent-style error body.
//
// It is off unless the server configures a rate. ratelimit depends on
// echo and x/time/rate only; the key function is supplied by the caller,
// so it knows nothing of how principals are authenticated.
package ratelimit

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/schemata-dev/schemata/srapi"
	"golang.org/x/time/rate"
)

// Options configure a Limiter.
type Options struct {
	// Rate is the sustained number of requests per second allowed per key.
	Rate float64
	// Burst is how many requests a key may make at once; zero means
	// max(1, ceil(Rate)).
	Burst int
	// Idle is how long an unused key's bucket is kept; zero means ten
	// minutes. A bucket refilled to full is equivalent to a new one, so
	// dropping it loses nothing.
	Idle time.Duration
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
}

// Limiter holds one token bucket per key. It is safe for concurrent use.
type Limiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a Limiter; it panics on a non-positive rate, which means
// the caller meant no limiter at all.
func New(o Options) *Limiter {
	if o.Rate <= 0 {
		panic("ratelimit: rate must be positive")
	}
	if o.Burst <= 0 {
		o.Burst = max(1, int(math.Ceil(o.Rate)))
	}
	if o.Idle <= 0 {
		o.Idle = 10 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Limiter{limit: rate.Limit(o.Rate), burst: o.Burst, idle: o.Idle, now: o.Now,
		buckets: map[string]*bucket{}, lastSweep: o.Now()}
}

// Allow takes a token from key's bucket. When none is left it returns
// false and how long until one will be.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	if now.Sub(l.lastSweep) >= l.idle {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	l.mu.Unlock()

	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops buckets unused for longer than idle. l.mu is held.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.seen) >= l.idle {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// Len returns the number of buckets kept.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// KeyFunc names the bucket of a request.
type KeyFunc func(c echo.Context) string

// RemoteAddrKey keys requests by the connection's client IP. It ignores
// X-Forwarded-For, which any client can forge.
func RemoteAddrKey(c echo.Context) string {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return "ip:" + c.Request().RemoteAddr
	}
	return "ip:" + host
}

// Middleware returns echo middleware that refuses requests over l's rate
// with 429, a Retry-After header and a Confluent-style body. onLimited,
// when not nil, is called for each refusal (metrics). Install it after
// authentication so key can see the principal.
func Middleware(l *Limiter, key KeyFunc, onLimited func(key string)) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			k := key(c)
			ok, wait := l.Allow(k)
			if ok {
				return next(c)
			}
			if onLimited != nil {
				onLimited(k)
			}
			secs := int(math.Ceil(wait.Seconds()))
			h := c.Response().Header()
			h.Set("Retry-After", strconv.Itoa(max(1, secs)))
			h.Set(echo.HeaderContentType, srapi.ContentType)
			return c.JSON(http.StatusTooManyRequests, srapi.ErrorBody{
				ErrorCode: srapi.CodeRateLimited,
				Message:   fmt.Sprintf("Request rate limit exceeded; retry in %s", wait.Round(time.Millisecond)),
			})
		}
	}
}
