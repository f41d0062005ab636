package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	// Authentication on, with one global admin.
	alice := servertest.User{Name: "alice", Password: "pw-alice", Grants: []string{"admin:*"}}
	url := servertest.Start(t, servertest.WithAuth([]servertest.User{alice}, "")).URL()
	dir := t.TempDir()
	admin := env{EnvRegistry: url, EnvUser: "alice", EnvPassword: "pw-alice"}

	r := schemactl(t, dir, admin, "token", "create", "payments-ci", "--grant", "reader:*", "--ttl", "24h")
	if r.code != 0 {
		t.Fatalf("token create: %s", r)
	}
	secret := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(secret, "sch_") || strings.Contains(r.stderr, secret) {
		t.Fatalf("token create printed %q (stderr %q); want the secret alone on stdout", r.stdout, r.stderr)
	}

	r = schemactl(t, dir, admin, "token", "list", "--format", "json")
	if r.code != 0 {
		t.Fatalf("token list: %s", r)
	}
	var ts []srapi.Token
	if err := json.Unmarshal([]byte(r.stdout), &ts); err != nil || len(ts) != 1 {
		t.Fatalf("token list json %q: %v", r.stdout, err)
	}
	if ts[0].Name != "payments-ci" || ts[0].Token != "" || ts[0].ExpiresAt == nil || ts[0].RevokedAt != nil {
		t.Errorf("listed token = %+v", ts[0])
	}

	// The token authenticates schemactl itself; as a reader it may not
	// manage tokens.
	asToken := env{EnvRegistry: url, EnvToken: secret}
	if r := schemactl(t, dir, asToken, "token", "list"); r.code != ExitUsage || !strings.Contains(r.stdout+r.stderr, "40301") {
		t.Errorf("token list as a reader: %s, want exit %d with 40301", r, ExitUsage)
	}

	if r := schemactl(t, dir, admin, "token", "revoke", ts[0].ID); r.code != 0 || !strings.Contains(r.stdout, ts[0].ID) {
		t.Fatalf("token revoke: %s", r)
	}
	r = schemactl(t, dir, admin, "token", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "revoked") || !strings.Contains(r.stdout, "payments-ci") {
		t.Errorf("token list after revoke: %s", r)
	}
	if r := schemactl(t, dir, asToken, "token", "list"); r.code != ExitUsage || !strings.Contains(r.stdout+r.stderr, "40101") {
		t.Errorf("revoked token: %s, want exit %d with 40101", r, ExitUsage)
	}
}

func TestTokenUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"CreateWithoutGrant", []string{"token", "create", "x"}},
		{"CreateWithoutName", []string{"token", "create", "--grant", "reader:*"}},
		{"BadFormat", []string{"token", "list", "--format", "xml"}},
		{"RevokeWithoutID", []string{"token", "revoke"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := schemactl(t, t.TempDir(), env{EnvRegistry: "http://127.0.0.1:1"}, tt.args...)
			if r.code != ExitUsage {
				t.Errorf("exit %d, want %d: %s", r.code, ExitUsage, r)
			}
		})
	}
}

// TestTokenListPages: GET /v1/auth/tokens answers pages with offset and
// limit (a bad value is a 400), and the client walks them.
func TestTokenListPages(t *testing.T) {
	t.Parallel()
	alice := servertest.User{Name: "alice", Password: "pw-alice", Grants: []string{"admin:*"}}
	url := servertest.Start(t, servertest.WithAuth([]servertest.User{alice}, "")).URL()
	ctx := context.Background()
	c := clientOf(t, url, client.WithBasicAuth("alice", "pw-alice"), client.WithPageSize(2))
	var names []string
	for i := range 5 {
		name := fmt.Sprintf("ci-%d", i)
		names = append(names, name)
		if _, err := c.CreateToken(ctx, srapi.CreateTokenRequest{Name: name, Grants: []string{"reader:*"}}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := c.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range ts {
		got = append(got, tok.Name)
	}
	if !slices.Equal(got, names) {
		t.Errorf("Tokens = %v, want %v", got, names)
	}
	for _, tc := range []struct {
		query  string
		status int
		want   int
	}{
		{"?offset=1&limit=2", 200, 2},
		{"?offset=4", 200, 1},
		{"?offset=9", 200, 0},
		{"?offset=-1", 400, 0},
		{"?limit=x", 400, 0},
	} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v1/auth/tokens"+tc.query, nil)
		req.SetBasicAuth("alice", "pw-alice")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page []srapi.Token
		decodeErr := json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.status == 200 && (decodeErr != nil || len(page) != tc.want)) {
			t.Errorf("GET /v1/auth/tokens%s = %d with %d tokens, want %d with %d", tc.query, resp.StatusCode, len(page), tc.status, tc.want)
		}
	}
}
