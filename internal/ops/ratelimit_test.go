package ops_test

import (
	"net/http"
	"testing"

	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

func TestRateLimitPerPrincipal(t *testing.T) {
	t.Parallel()
	authFile := servertest.AuthConfigFile(t, []servertest.User{
		{Name: "alice", Password: "pw-alice", Grants: []string{"reader:*"}},
		{Name: "bob", Password: "pw-bob", Grants: []string{"reader:*"}},
	}, "")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: ops.Config{AuthConfigFile: authFile, AuditLog: ops.AuditOff,
		RateLimit: 0.001, RateBurst: 2}}))
	hc := &http.Client{}
	alice, bob := basic("alice", "pw-alice"), basic("bob", "pw-bob")
	steps := []struct {
		name string
		cred credential
		want int
	}{
		{"AliceFirst", alice, http.StatusOK},
		{"AliceSecond", alice, http.StatusOK},
		{"AliceOverBurst", alice, http.StatusTooManyRequests},
		{"BobHasHisOwnBucket", bob, http.StatusOK},
	}
	for _, st := range steps {
		res := do(t, hc, http.MethodGet, s.URL()+"/subjects", st.cred, nil)
		if res.status != st.want {
			t.Fatalf("%s: %d %s, want %d", st.name, res.status, res.body, st.want)
		}
		if st.want == http.StatusTooManyRequests && (res.errorCode() != 42901 || res.header.Get("Retry-After") == "") {
			t.Errorf("%s: body %s, Retry-After %q", st.name, res.body, res.header.Get("Retry-After"))
		}
	}
	// Probes are not limited, and the refusal is counted.
	for range 5 {
		if res := do(t, hc, http.MethodGet, s.URL()+"/readyz", anonymous, nil); res.status != http.StatusOK {
			t.Fatalf("/readyz: %d, want probes never limited", res.status)
		}
	}
	if got, ok := value(scrape(t, s.URL()), "schemata_rate_limited_requests_total", nil); !ok || got != 1 {
		t.Errorf("rate_limited_requests_total = %v, want 1", got)
	}
}
