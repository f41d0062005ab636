package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/internal/clocktest"
)

// newCached returns an Authenticator over store with the given cache TTL.
func newCached(t *testing.T, store auth.Store, clock *clocktest.Clock, ttl time.Duration) *auth.Authenticator {
	t.Helper()
	a, err := auth.NewAuthenticator(auth.Options{Store: store, Now: clock.Now, CacheTTL: ttl, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// revokeBehindItsBack revokes a token in the store only, as another
// instance would, without telling a.
func revokeBehindItsBack(t *testing.T, store auth.Store, id string) {
	t.Helper()
	if err := store.TokenRevoke(context.Background(), id, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestCredentialCache(t *testing.T) {
	t.Parallel()
	reader := []auth.Grant{{Role: auth.Reader, Pattern: "*"}}
	tests := []struct {
		name string
		ttl  time.Duration
		// ttlParam is the token's lifetime; advance how far the clock moves
		// before the second request.
		ttlParam, advance time.Duration
		forgetAll         bool
		wantSecond        error
	}{
		// The cache trusts a token revoked elsewhere until its TTL ends ...
		{name: "CachedWithinTTL", ttl: time.Hour, wantSecond: nil},
		// ... unless the instance hears of the change ...
		{name: "ForgetAllOnChange", ttl: time.Hour, forgetAll: true, wantSecond: auth.ErrUnauthenticated},
		// ... and never past the token's expiry, nor at all with NoCache.
		{name: "NeverPastExpiry", ttl: time.Hour, ttlParam: time.Minute, advance: time.Minute, wantSecond: auth.ErrUnauthenticated},
		{name: "NoCache", ttl: auth.NoCache, wantSecond: auth.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			store := authtest.NewMemoryStore()
			clock := clocktest.New(time.Now())
			a := newCached(t, store, clock, tt.ttl)
			secret, tok, err := a.CreateToken(ctx, auth.TokenParams{Name: "ci", Grants: reader, TTL: tt.ttlParam})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Bearer(ctx, secret); err != nil {
				t.Fatalf("first request: %v", err)
			}
			if tt.advance == 0 {
				revokeBehindItsBack(t, store, tok.ID)
			}
			if tt.forgetAll {
				a.ForgetAll()
			}
			clock.Advance(tt.advance)
			if _, err := a.Bearer(ctx, secret); !errors.Is(err, tt.wantSecond) {
				t.Errorf("second request: %v, want %v", err, tt.wantSecond)
			}
		})
	}
}

// TestConfigCacheTTL: an absent cacheTTL is the default, 0 turns the
// cache off, a negative one is refused.
func TestConfigCacheTTL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		yaml    string
		want    time.Duration
		wantErr bool
	}{
		{"anonymous: read\n", 0, false},
		{"anonymous: read\ncacheTTL: 0\n", auth.NoCache, false},
		{"anonymous: read\ncacheTTL: 0s\n", auth.NoCache, false},
		{"anonymous: read\ncacheTTL: soon\n", 0, true},
		{"anonymous: read\ncacheTTL: 3s\n", 3 * time.Second, false},
		{"anonymous: read\ncacheTTL: -1s\n", 0, true},
	}
	for _, tt := range tests {
		c, err := loadConfig(t, tt.yaml)
		if tt.wantErr {
			if err == nil {
				t.Errorf("%q: no error, want one", tt.yaml)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.yaml, err)
		}
		o, err := c.Options()
		if err != nil || o.CacheTTL != tt.want {
			t.Errorf("%q: CacheTTL %v (%v), want %v", tt.yaml, o.CacheTTL, err, tt.want)
		}
	}
}
