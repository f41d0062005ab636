package ops_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// propagationDeadline bounds how long a revocation may take to reach
// another instance in these tests; the registry promises well under a
// second, the margin is for loaded CI machines. Without notifications the
// hour-long cache below would keep the credential working.
const propagationDeadline = 5 * time.Second

// eventually polls the request until it answers want.
func eventually(t *testing.T, what string, want int, request func() response) {
	t.Helper()
	start := time.Now()
	for {
		r := request()
		if r.status == want {
			t.Logf("%s: %d after %s", what, want, time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Since(start) > propagationDeadline {
			t.Fatalf("%s: still %d %s after %s, want %d", what, r.status, r.body, propagationDeadline, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRevocationReachesEveryInstance runs two registry instances on one
// PostgreSQL database with an hour-long credential cache: a token revoked,
// a user deleted or a password changed on one stops working on the other
// at once (through the store's notifications), and a cached token stops
// at its expiry.
func TestRevocationReachesEveryInstance(t *testing.T) {
	t.Parallel()
	clock := clocktest.New(time.Now())
	authFile := adminAuthFile(t, "cacheTTL: 1h\n")
	cfg := servertest.PostgreSQL.Config(t)
	cfg.Ops = opsConfig(authFile)
	start := func() *servertest.Registry {
		return servertest.Start(t, servertest.WithConfig(cfg), servertest.WithServerOptions(server.WithClock(clock.Now)))
	}
	a, b := start(), start()
	hc := &http.Client{}
	alice := basic("alice", "pw-alice")
	onB := func(cred credential) func() response {
		return func() response { return do(t, hc, http.MethodGet, b.URL()+"/subjects", cred, nil) }
	}

	t.Run("TokenRevoked", func(t *testing.T) {
		res := do(t, hc, http.MethodPost, a.URL()+"/v1/auth/tokens", alice, map[string]any{"name": "ci", "grants": []string{"reader:*"}})
		created := createdToken(t, res)
		token, id := created.Token, created.ID
		if r := onB(bearer(token))(); r.status != http.StatusOK {
			t.Fatalf("token on B: %d %s", r.status, r.body)
		}
		if r := do(t, hc, http.MethodDelete, a.URL()+"/v1/auth/tokens/"+id, alice, nil); r.status != http.StatusNoContent {
			t.Fatalf("revoke on A: %d %s", r.status, r.body)
		}
		eventually(t, "revoked token on B", http.StatusUnauthorized, onB(bearer(token)))
	})

	t.Run("UserDeletedOrChanged", func(t *testing.T) {
		for _, name := range []string{"bob", "carol"} {
			if r := do(t, hc, http.MethodPut, a.URL()+"/v1/auth/users/"+name, alice, map[string]any{"password": "pw-" + name, "grants": []string{"reader:*"}}); r.status != http.StatusOK {
				t.Fatalf("create %s: %d %s", name, r.status, r.body)
			}
			if r := onB(basic(name, "pw-"+name))(); r.status != http.StatusOK {
				t.Fatalf("%s on B: %d %s", name, r.status, r.body)
			}
		}
		if r := do(t, hc, http.MethodDelete, a.URL()+"/v1/auth/users/bob", alice, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete bob: %d %s", r.status, r.body)
		}
		eventually(t, "deleted user on B", http.StatusUnauthorized, onB(basic("bob", "pw-bob")))
		if r := do(t, hc, http.MethodPut, a.URL()+"/v1/auth/users/carol", alice, map[string]any{"password": "new-pw-carol", "grants": []string{"reader:*"}}); r.status != http.StatusOK {
			t.Fatalf("change carol's password: %d %s", r.status, r.body)
		}
		eventually(t, "old password on B", http.StatusUnauthorized, onB(basic("carol", "pw-carol")))
	})

	t.Run("TokenExpires", func(t *testing.T) {
		res := do(t, hc, http.MethodPost, a.URL()+"/v1/auth/tokens", alice, map[string]any{"name": "short", "grants": []string{"reader:*"}, "ttl": "1m"})
		token := createdToken(t, res).Token
		if r := onB(bearer(token))(); r.status != http.StatusOK {
			t.Fatalf("token on B: %d %s", r.status, r.body)
		}
		clock.Advance(time.Minute)
		if r := onB(bearer(token))(); r.status != http.StatusUnauthorized {
			t.Errorf("expired token on B: %d, want 401 at once", r.status)
		}
	})
}

// TestCacheTTLZeroMeansNoCache: with cacheTTL: 0 every request checks its
// token in the store, so a revocation written straight to the database,
// which no notification announces, takes effect on the next request.
func TestCacheTTLZeroMeansNoCache(t *testing.T) {
	t.Parallel()
	authFile := adminAuthFile(t, "cacheTTL: 0\n")
	cfg := servertest.PostgreSQL.Config(t)
	cfg.Ops = opsConfig(authFile)
	s := servertest.Start(t, servertest.WithConfig(cfg))
	hc := &http.Client{}
	token := createdToken(t, do(t, hc, http.MethodPost, s.URL()+"/v1/auth/tokens", basic("alice", "pw-alice"),
		map[string]any{"name": "ci", "grants": []string{"reader:*"}})).Token
	if r := do(t, hc, http.MethodGet, s.URL()+"/subjects", bearer(token), nil); r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	pool, err := pgxpool.New(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `UPDATE auth_tokens SET revoked_at = now()`); err != nil {
		t.Fatal(err)
	}
	if r := do(t, hc, http.MethodGet, s.URL()+"/subjects", bearer(token), nil); r.status != http.StatusUnauthorized {
		t.Errorf("token revoked in the database: %d, want 401 on the next request", r.status)
	}
}
