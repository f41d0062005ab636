package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// LoginLimits bound failed password logins. Each budget counts failures in
// a fixed window of Window; once spent, further password attempts of that
// kind are refused with a ThrottledError, without checking the password,
// until the window ends. Windows are short so an attacker cannot keep a
// real user out for long, and the per-user budget does not apply to an
// address the user logged in from during the current or previous window.
type LoginLimits struct {
	// Window is the length of a counting window; zero means one minute.
	Window time.Duration
	// PerAddressUser is the failures allowed per client address and user
	// name in a window: the budget of a guesser aiming at one account.
	PerAddressUser int
	// PerAddress is the failures allowed per client address in a window,
	// whatever the user names: the budget of a guesser trying many names.
	PerAddress int
	// PerUser is the failures allowed per user name in a window, from all
	// addresses together: the budget of a guesser spread over many
	// addresses.
	PerUser int
}

// DefaultLoginLimits are the limits used when Options.LoginLimits is zero.
var DefaultLoginLimits = LoginLimits{Window: time.Minute, PerAddressUser: 10, PerAddress: 30, PerUser: 100}

// withDefaults fills zero fields from DefaultLoginLimits.
func (l LoginLimits) withDefaults() LoginLimits {
	d := DefaultLoginLimits
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.PerAddressUser <= 0 {
		l.PerAddressUser = d.PerAddressUser
	}
	if l.PerAddress <= 0 {
		l.PerAddress = d.PerAddress
	}
	if l.PerUser <= 0 {
		l.PerUser = d.PerUser
	}
	return l
}

// ThrottledError refuses a password login because too many failed:
// answer 429 with Retry-After. It wraps ErrUnauthenticated, so callers
// that do not tell it apart still refuse the request.
type ThrottledError struct {
	// RetryAfter is how long until the budget that ran out is renewed.
	RetryAfter time.Duration
	// Reason names the budget: "address and user", "address" or "user".
	Reason string
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("auth: too many failed logins for this %s; retry in %s", e.Reason, e.RetryAfter.Round(time.Second))
}

// Unwrap makes a ThrottledError an ErrUnauthenticated.
func (e *ThrottledError) Unwrap() error { return ErrUnauthenticated }

// IsThrottled reports whether err refuses a login for too many failures,
// and returns the refusal.
func IsThrottled(err error) (*ThrottledError, bool) {
	var t *ThrottledError
	ok := errors.As(err, &t)
	return t, ok
}

type clientAddrKey struct{}

// WithClientAddress returns ctx carrying the address of the client (its
// IP, without port) that sent the credentials about to be verified; login
// limits count failures per address.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

func clientAddress(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

// maxThrottleEntries bounds the failure counters. Past it, counters of
// ended windows are dropped; if all are current, all are dropped: the
// worker pool still bounds the password work an attacker can cause.
const maxThrottleEntries = 100_000

// window counts events in one fixed window.
type window struct {
	start time.Time
	n     int
}

// throttle keeps the failure counters and the addresses each user last
// logged in from.
type throttle struct {
	limits LoginLimits
	mu     sync.Mutex
	fails  map[string]*window
	// good maps user + "\x00" + address to the last successful login.
	good map[string]time.Time
}

func newThrottle(l LoginLimits) *throttle {
	return &throttle{limits: l.withDefaults(), fails: map[string]*window{}, good: map[string]time.Time{}}
}

// Keys of the counters. An address never holds NUL, so a pair key is
// unambiguous whatever the user name holds.
func pairKey(addr, user string) string { return "p\x00" + addr + "\x00" + user }
func addrKey(addr string) string       { return "a\x00" + addr }
func userKey(user string) string       { return "u\x00" + user }

// allow reports whether a password attempt by user from addr may be
// checked at now, and otherwise the refusal.
func (t *throttle) allow(now time.Time, addr, user string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	check := func(key string, limit int, reason string) error {
		w := t.current(key, now)
		if w == nil || w.n < limit {
			return nil
		}
		return &ThrottledError{RetryAfter: w.start.Add(t.limits.Window).Sub(now), Reason: reason}
	}
	if err := check(pairKey(addr, user), t.limits.PerAddressUser, "address and user"); err != nil {
		return err
	}
	if err := check(addrKey(addr), t.limits.PerAddress, "address"); err != nil {
		return err
	}
	if last, ok := t.good[user+"\x00"+addr]; ok && now.Sub(last) < 2*t.limits.Window {
		return nil
	}
	return check(userKey(user), t.limits.PerUser, "user")
}

// current returns the window of key that includes now, nil when none.
func (t *throttle) current(key string, now time.Time) *window {
	w, ok := t.fails[key]
	if !ok || !now.Before(w.start.Add(t.limits.Window)) {
		return nil
	}
	return w
}

// failed counts a failed attempt against every budget.
func (t *throttle) failed(now time.Time, addr, user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) >= maxThrottleEntries {
		t.prune(now)
	}
	for _, key := range [...]string{pairKey(addr, user), addrKey(addr), userKey(user)} {
		w := t.current(key, now)
		if w == nil {
			w = &window{start: now}
			t.fails[key] = w
		}
		w.n++
	}
}

// succeeded forgives the failures of user from addr and remembers addr as
// one the user logs in from.
func (t *throttle) succeeded(now time.Time, addr, user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, pairKey(addr, user))
	if len(t.good) >= maxThrottleEntries {
		t.prune(now)
	}
	t.good[user+"\x00"+addr] = now
}

// prune drops ended windows and stale good addresses; when every entry is
// current it drops them all, to keep memory bounded.
func (t *throttle) prune(now time.Time) {
	for k, w := range t.fails {
		if !now.Before(w.start.Add(t.limits.Window)) {
			delete(t.fails, k)
		}
	}
	if len(t.fails) >= maxThrottleEntries {
		clear(t.fails)
	}
	for k, at := range t.good {
		if now.Sub(at) >= 2*t.limits.Window {
			delete(t.good, k)
		}
	}
	if len(t.good) >= maxThrottleEntries {
		clear(t.good)
	}
}
