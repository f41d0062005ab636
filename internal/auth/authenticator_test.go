package auth_test

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
	"github.com/schemata-dev/schemata/internal/clocktest"
)

// fastHash hashes with bcrypt's minimum cost, to keep tests quick.
func fastHash(t *testing.T, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// loadConfig loads text as an auth configuration file.
func loadConfig(t *testing.T, text string) (auth.Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return auth.LoadConfig(path)
}

// newAuthenticator returns an Authenticator over store and now with one
// configured user, alice (admin), and one client, ingest (writer on
// ingest.*).
func newAuthenticator(t *testing.T, store auth.Store, now *clocktest.Clock) *auth.Authenticator {
	t.Helper()
	a, err := auth.NewAuthenticator(auth.Options{
		Users:   []auth.User{{Name: "alice", PasswordHash: fastHash(t, "alice-pw"), Grants: []auth.Grant{{Role: auth.Admin, Pattern: "*"}}}},
		Clients: []auth.Client{{CommonName: "ingest", Grants: []auth.Grant{{Role: auth.Writer, Pattern: "ingest.*"}}}},
		Store:   store,
		Now:     now.Now,
		// The cheapest cost for unknown users' comparisons, too.
		PasswordCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBasic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := authtest.NewMemoryStore()
	if err := store.UserUpsert(ctx, auth.User{Name: "bob", PasswordHash: fastHash(t, "bob-pw"),
		Grants: []auth.Grant{{Role: auth.Reader, Pattern: "*"}}}); err != nil {
		t.Fatal(err)
	}
	a := newAuthenticator(t, store, clocktest.New(time.Now()))
	tests := []struct {
		name, user, password string
		wantErr              error
	}{
		{"ConfiguredUser", "alice", "alice-pw", nil},
		{"DatabaseUser", "bob", "bob-pw", nil},
		{"WrongPassword", "alice", "nope", auth.ErrUnauthenticated},
		{"UnknownUser", "mallory", "alice-pw", auth.ErrUnauthenticated},
		{"EmptyPassword", "bob", "", auth.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := a.Basic(ctx, tt.user, tt.password)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Basic(%s) error = %v, want %v", tt.user, err, tt.wantErr)
			}
			if err != nil {
				if strings.Contains(err.Error(), tt.password) && tt.password != "" {
					t.Errorf("error %q reveals the password", err)
				}
				return
			}
			if p.Name != tt.user || p.Method != auth.MethodBasic {
				t.Errorf("principal = %+v, want %s via basic", p, tt.user)
			}
		})
	}
}

func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := clocktest.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store := authtest.NewMemoryStore()
	a := newAuthenticator(t, store, now)

	grants := []auth.Grant{{Role: auth.Writer, Pattern: "payments.*"}}
	secret, tok, err := a.CreateToken(ctx, auth.TokenParams{Name: "ci", Grants: grants, TTL: time.Hour, CreatedBy: "alice"})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if !strings.HasPrefix(secret, auth.TokenPrefix) || tok.Hash != auth.HashToken(secret) || strings.Contains(tok.Hash, secret) {
		t.Fatalf("token %+v does not store only the hash of %s...", tok, auth.TokenPrefix)
	}
	stored, _ := store.TokenList(ctx, 0, 0)
	for _, s := range stored {
		if s.Hash == secret || strings.Contains(s.Name, secret) {
			t.Fatal("the secret reached the store")
		}
	}

	p, err := a.Bearer(ctx, secret)
	if err != nil {
		t.Fatalf("Bearer: %v", err)
	}
	if p.Name != "token:ci" || p.TokenID != tok.ID || p.Method != auth.MethodToken || len(p.Grants) != 1 {
		t.Errorf("principal = %+v", p)
	}
	if _, err := a.Bearer(ctx, secret[:len(secret)-1]+"x"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("altered token: %v, want ErrUnauthenticated", err)
	}
	if _, err := a.Bearer(ctx, "not-a-token"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("malformed token: %v, want ErrUnauthenticated", err)
	}

	if err := a.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if _, err := a.Bearer(ctx, secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("revoked token: %v, want ErrUnauthenticated (at once on this instance)", err)
	}
	if err := a.RevokeToken(ctx, "no-such-id"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("RevokeToken(unknown) = %v, want ErrNotFound", err)
	}

	secret2, _, err := a.CreateToken(ctx, auth.TokenParams{Name: "short", Grants: grants, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Bearer(ctx, secret2); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	now.Advance(2 * time.Minute) // past both the TTL and the cache
	if _, err := a.Bearer(ctx, secret2); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("expired token: %v, want ErrUnauthenticated", err)
	}
}

func TestRevocationOnAnotherInstanceWithinCacheTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := clocktest.New(time.Now())
	store := authtest.NewMemoryStore()
	a, b := newAuthenticator(t, store, now), newAuthenticator(t, store, now)
	secret, tok, err := a.CreateToken(ctx, auth.TokenParams{Name: "ci", Grants: []auth.Grant{{Role: auth.Reader, Pattern: "*"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Bearer(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	now.Advance(auth.DefaultCacheTTL + time.Second)
	if _, err := b.Bearer(ctx, secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("other instance after TTL: %v, want ErrUnauthenticated", err)
	}
}

func TestCertificateAndAnonymous(t *testing.T) {
	t.Parallel()
	a := newAuthenticator(t, nil, clocktest.New(time.Now()))
	p, err := a.Certificate(&x509.Certificate{Subject: pkix.Name{CommonName: "ingest"}})
	if err != nil || p.Name != "ingest" || p.Method != auth.MethodCertificate {
		t.Errorf("Certificate(ingest) = %+v, %v", p, err)
	}
	if _, err := a.Certificate(&x509.Certificate{Subject: pkix.Name{CommonName: "stranger"}}); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("Certificate(stranger) = %v, want ErrUnauthenticated", err)
	}
	if _, ok := a.Anonymous(); ok {
		t.Error("anonymous access on without being configured")
	}
	if _, err := a.Bearer(context.Background(), "sch_x"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("Bearer without a store = %v, want ErrUnauthenticated", err)
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	hash := fastHash(t, "pw")
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{
		{name: "Valid", yaml: "anonymous: read\ncacheTTL: 5s\nusers:\n  - name: ci\n    passwordHash: " + hash +
			"\n    grants: [admin:*]\nclients:\n  - commonName: ingest\n    grants: [writer:ingest.*]\n"},
		{name: "PlainPasswordRefused", yaml: "users:\n  - name: ci\n    passwordHash: hunter2\n    grants: [admin:*]\n", wantErr: "not a bcrypt hash"},
		{name: "UnknownKeyRefused", yaml: "anonymus: read\n", wantErr: "anonymus"},
		{name: "BadGrant", yaml: "clients:\n  - commonName: x\n    grants: [owner:*]\n", wantErr: "unknown role"},
		{name: "BadAnonymous", yaml: "anonymous: write\n", wantErr: "use none or read"},
		{name: "DuplicateUser", yaml: "users:\n  - {name: a, passwordHash: '" + hash + "'}\n  - {name: a, passwordHash: '" + hash + "'}\n", wantErr: "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := loadConfig(t, tt.yaml)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadConfig error = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error %q echoes the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			o, err := c.Options()
			if err != nil {
				t.Fatal(err)
			}
			if len(o.Users) != 1 || len(o.Clients) != 1 || len(o.Anonymous) != 1 || o.CacheTTL != 5*time.Second {
				t.Errorf("options = %+v", o)
			}
		})
	}
}

func TestPasswordCostBounds(t *testing.T) {
	t.Parallel()
	anon := []auth.Grant{{Role: auth.Reader, Pattern: "*"}}
	for _, cost := range []int{1, 32} {
		if _, err := auth.NewAuthenticator(auth.Options{Anonymous: anon, PasswordCost: cost}); err == nil {
			t.Errorf("PasswordCost %d accepted", cost)
		}
	}
	if _, err := auth.NewAuthenticator(auth.Options{}); err == nil {
		t.Error("an Authenticator with no way to authenticate was accepted")
	}
}

// TestRememberedPasswordFollowsTheUser: a password verified once is
// accepted again without bcrypt only while it is still the user's: a new
// password or a deleted user ends it, on this instance and on others
// sharing the store.
func TestRememberedPasswordFollowsTheUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := authtest.NewMemoryStore()
	clock := clocktest.New(time.Now())
	a, other := newAuthenticator(t, store, clock), newAuthenticator(t, store, clock)
	if _, err := a.SetUser(ctx, "bob", "old-pw", []auth.Grant{{Role: auth.Reader, Pattern: "*"}}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*auth.Authenticator{a, other} {
		if _, err := x.Basic(ctx, "bob", "old-pw"); err != nil {
			t.Fatalf("first login: %v", err)
		}
	}
	if _, err := a.SetUser(ctx, "bob", "new-pw", []auth.Grant{{Role: auth.Reader, Pattern: "*"}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(auth.DefaultCacheTTL) // past the principal cache of the other instance
	for _, x := range []*auth.Authenticator{a, other} {
		if _, err := x.Basic(ctx, "bob", "old-pw"); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("old password after a change: %v, want refused", err)
		}
		if _, err := x.Basic(ctx, "bob", "new-pw"); err != nil {
			t.Errorf("new password: %v", err)
		}
	}
	if err := a.DeleteUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(auth.DefaultCacheTTL)
	if _, err := other.Basic(ctx, "bob", "new-pw"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("deleted user: %v, want refused", err)
	}
}
