package ops_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// clientFrom returns an HTTP client whose connections come from the
// loopback address ip (any of 127.0.0.0/8 reaches the server on Linux), so
// one test plays clients at several addresses.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// TestFailedLoginsThrottled: failed password logins are refused with 429
// and Retry-After per address and user, per address and per user; the
// real user still logs in from elsewhere, and every budget renews after
// its window.
func TestFailedLoginsThrottled(t *testing.T) {
	t.Parallel()
	clock := clocktest.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	authFile := servertest.AuthConfigFile(t, []servertest.User{
		{Name: "alice", Password: "pw-alice", Grants: []string{"reader:*"}},
		{Name: "bob", Password: "pw-bob", Grants: []string{"reader:*"}},
	}, "loginLimits: {window: 1m, perAddressUser: 3, perAddress: 6, perUser: 8}\n")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: opsConfig(authFile)}),
		servertest.WithServerOptions(server.WithClock(clock.Now)))
	url := s.URL() + "/subjects"
	login := func(t *testing.T, ip, user, password string, want int) {
		t.Helper()
		res := do(t, clientFrom(ip), http.MethodGet, url, basic(user, password), nil)
		if res.status != want {
			t.Fatalf("%s as %s from %s: %d %s, want %d", password, user, ip, res.status, res.body, want)
		}
		if want != http.StatusTooManyRequests {
			return
		}
		retry, err := strconv.Atoi(res.header.Get("Retry-After"))
		if res.errorCode() != 42901 || err != nil || retry < 1 || retry > 60 {
			t.Errorf("throttled answer: body %s, Retry-After %q; want 42901 and 1..60 s", res.body, res.header.Get("Retry-After"))
		}
	}

	// One address guessing one account: three failures, then refused even
	// with the right password (which is not checked).
	for range 3 {
		login(t, "127.0.0.1", "alice", "guess", http.StatusUnauthorized)
	}
	login(t, "127.0.0.1", "alice", "pw-alice", http.StatusTooManyRequests)
	// The real user at another address is not locked out.
	login(t, "127.0.0.2", "alice", "pw-alice", http.StatusOK)

	// One address trying many names: its budget of six is spent, and bob,
	// who never failed, is refused from there.
	for _, name := range []string{"carol", "dave", "erin"} {
		login(t, "127.0.0.1", name, "guess", http.StatusUnauthorized)
	}
	login(t, "127.0.0.1", "bob", "guess", http.StatusTooManyRequests)
	login(t, "127.0.0.3", "bob", "pw-bob", http.StatusOK)

	// Many addresses guessing one account: alice's budget of eight is
	// spent (three failures above, five here) ...
	for _, ip := range []string{"127.0.0.4", "127.0.0.4", "127.0.0.5", "127.0.0.5", "127.0.0.6"} {
		login(t, ip, "alice", "guess", http.StatusUnauthorized)
	}
	login(t, "127.0.0.7", "alice", "guess", http.StatusTooManyRequests)
	// ... yet alice logs in: from the address she used, and anywhere with
	// her recently verified password.
	login(t, "127.0.0.2", "alice", "pw-alice", http.StatusOK)
	login(t, "127.0.0.8", "alice", "pw-alice", http.StatusOK)

	// Every budget renews after its window.
	clock.Advance(time.Minute)
	login(t, "127.0.0.1", "bob", "pw-bob", http.StatusOK)
	login(t, "127.0.0.7", "alice", "guess", http.StatusUnauthorized)
}

// TestPasswordFloodLeavesOtherRequests: a flood of bad logins runs at
// most passwordWorkers bcrypt comparisons at once and refuses the excess
// at once with 503 and Retry-After, while token and anonymous requests
// keep being answered.
func TestPasswordFloodLeavesOtherRequests(t *testing.T) {
	t.Parallel()
	// A real cost, so that a comparison takes long enough to queue behind.
	hash, err := bcrypt.GenerateFromPassword([]byte("pw-alice"), 10)
	if err != nil {
		t.Fatal(err)
	}
	authFile := filepath.Join(t.TempDir(), "auth.yaml")
	conf := "anonymous: read\npasswordCost: 4\npasswordWorkers: 1\n" +
		"loginLimits: {perAddressUser: 100000, perAddress: 100000, perUser: 100000}\n" +
		"users:\n  - name: alice\n    passwordHash: '" + string(hash) + "'\n    grants: [admin:*]\n"
	if err := os.WriteFile(authFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: opsConfig(authFile)}))
	hc := &http.Client{}
	token := createdToken(t, do(t, hc, http.MethodPost, s.URL()+"/v1/auth/tokens", basic("alice", "pw-alice"),
		map[string]any{"name": "ci", "grants": []string{"reader:*"}})).Token

	// Each worker admits 32 waiting checks: 100 at once overflow the
	// queue of a single worker whatever the machine's speed.
	const flood = 100
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	statuses := make(chan int, flood)
	for range flood {
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/subjects", nil)
			req.SetBasicAuth("alice", "wrong")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
			statuses <- res.StatusCode
		}()
	}
	counts := map[int]int{}
	for counts[http.StatusServiceUnavailable] == 0 {
		if counts[http.StatusUnauthorized]+counts[0] == flood {
			t.Fatalf("every flooded login was checked (%v); want the excess refused with 503", counts)
		}
		counts[<-statuses]++
	}
	// The pool is saturated now; other requests are still served.
	for _, cred := range []credential{bearer(token), anonymous} {
		if r := do(t, hc, http.MethodGet, s.URL()+"/subjects", cred, nil); r.status != http.StatusOK {
			t.Errorf("request during the flood: %d %s", r.status, r.body)
		}
	}
	answered := 0
	for _, n := range counts {
		answered += n
	}
	if answered == flood {
		t.Errorf("the flood ended before the other requests were answered; the test proved nothing")
	}
	// The flooders leave; their queued checks are dropped, not run.
	cancel()
	for answered < flood {
		counts[<-statuses]++
		answered++
	}
	if counts[http.StatusOK] != 0 {
		t.Errorf("flood answers %v: a wrong password was accepted", counts)
	}
}
