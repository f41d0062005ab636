package servertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// User is a user of an authentication configuration file.
type User struct {
	Name, Password string
	// Grants are role:scope grants, e.g. "admin:*", "writer:orders-*".
	Grants []string
}

// AuthConfigFile writes an authentication configuration file listing
// users, followed by extra YAML (say "anonymous: read\n"), and returns
// its path. Passwords are hashed at bcrypt's minimum cost, and so are
// passwords set through the API, to keep tests fast. Unless extra sets
// loginLimits, failed logins are practically unlimited.
func AuthConfigFile(t testing.TB, users []User, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("passwordCost: 4\n")
	if len(users) > 0 {
		b.WriteString("users:\n")
	}
	for _, u := range users {
		h, err := bcrypt.GenerateFromPassword([]byte(u.Password), bcrypt.MinCost)
		if err != nil {
			t.Fatalf("servertest: hash the password of %s: %v", u.Name, err)
		}
		b.WriteString("  - name: " + u.Name + "\n    passwordHash: '" + string(h) + "'\n    grants: [" + strings.Join(u.Grants, ", ") + "]\n")
	}
	b.WriteString(extra)
	if !strings.Contains(extra, "loginLimits:") {
		// Tables of every route try a wrong password on each; a test of
		// the limits themselves sets its own.
		b.WriteString("\nloginLimits: {perAddressUser: 100000, perAddress: 100000, perUser: 100000}\n")
	}
	path := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return path
}
