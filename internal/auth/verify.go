package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrBusy refuses a password login because the password workers and their
// queue are full: answer 503 with Retry-After. Logins by token,
// certificate or a recently verified password never wait for them.
var ErrBusy = errors.New("auth: too many password checks in progress")

// DefaultPasswordWorkers is the number of concurrent password (bcrypt)
// checks when Options.PasswordWorkers is zero: half the processors, at
// least one, so a flood of logins leaves the other half to requests.
func DefaultPasswordWorkers() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// queuePerWorker bounds the password checks waiting for a worker.
const queuePerWorker = 32

// verifiedTTL is how long a successful password check is remembered, so
// that a client sending the same credentials on every request costs one
// bcrypt comparison per verifiedTTL, not one per request. The entry is
// bound to the stored hash: a changed password or a deleted user does not
// match it.
const verifiedTTL = 5 * time.Minute

// maxVerified bounds the remembered verifications.
const maxVerified = 10_000

// passwords runs bcrypt comparisons on a bounded pool and remembers the
// ones that succeeded.
type passwords struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64

	key []byte // HMAC key of the verified set, random per process
	mu  sync.Mutex
	ok  map[[sha256.Size]byte]time.Time
}

func newPasswords(workers int) *passwords {
	if workers <= 0 {
		workers = DefaultPasswordWorkers()
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails on supported platforms
	return &passwords{
		slots: make(chan struct{}, workers), queue: int64(workers * queuePerWorker),
		key: key, ok: map[[sha256.Size]byte]time.Time{},
	}
}

// verifiedKey is a keyed hash of a credential and the hash it matched, so
// the set never holds a password, and a copy of the process's memory does
// not allow guessing one at SHA-256 speed.
func (p *passwords) verifiedKey(name, password, hash string) [sha256.Size]byte {
	return sumParts(hmac.New(sha256.New, p.key), name, password, hash)
}

// verified reports whether password was checked against hash recently.
func (p *passwords) verified(now time.Time, name, password, hash string) bool {
	if hash == "" {
		return false
	}
	k := p.verifiedKey(name, password, hash)
	p.mu.Lock()
	defer p.mu.Unlock()
	at, ok := p.ok[k]
	return ok && now.Sub(at) < verifiedTTL
}

func (p *passwords) remember(now time.Time, name, password, hash string) {
	k := p.verifiedKey(name, password, hash)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ok) >= maxVerified {
		for k, at := range p.ok {
			if now.Sub(at) >= verifiedTTL {
				delete(p.ok, k)
			}
		}
		if len(p.ok) >= maxVerified {
			clear(p.ok)
		}
	}
	p.ok[k] = now
}

// check compares password with hash (or with dummy for an unknown user)
// on a worker, waiting for one while ctx lasts; ErrBusy when too many
// checks already wait.
func (p *passwords) check(ctx context.Context, hash, password string, dummy func() []byte) (bool, error) {
	if p.waiting.Add(1) > p.queue {
		p.waiting.Add(-1)
		return false, ErrBusy
	}
	select {
	case p.slots <- struct{}{}:
		p.waiting.Add(-1)
	case <-ctx.Done():
		p.waiting.Add(-1)
		return false, ctx.Err()
	}
	defer func() { <-p.slots }()
	return checkPassword(hash, password, dummy), nil
}
