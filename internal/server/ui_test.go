package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

func TestUIIsServedUnderUI(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	status, body := get(t, s.URL(), "/ui/subjects")
	if status != http.StatusOK || !strings.Contains(body, "<h1>Subjects</h1>") {
		t.Errorf("GET /ui/subjects = %d\n%s", status, body)
	}
	if status, _ := get(t, s.URL(), "/ui/static/ui.css"); status != http.StatusOK {
		t.Errorf("GET /ui/static/ui.css = %d", status)
	}
	// The API is untouched.
	if status, body := get(t, s.URL(), "/subjects"); status != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("GET /subjects = %d %s", status, body)
	}
}

func TestUICanBeTurnedOff(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithConfig(server.Config{DisableUI: true}))
	if status, _ := get(t, s.URL(), "/ui/subjects"); status != http.StatusNotFound {
		t.Errorf("GET /ui/subjects = %d, want 404", status)
	}
}

// TestUIRespectsAuthentication runs the UI behind the auth middleware:
// anonymous callers may read, and only a writer may run the Check page.
func TestUIRespectsAuthentication(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithAuth([]servertest.User{{Name: "dev", Password: "s3cret", Grants: []string{"writer:*"}}}, "anonymous: read\n"))
	if status, _ := get(t, s.URL(), "/ui/subjects"); status != http.StatusOK {
		t.Errorf("anonymous GET /ui/subjects = %d, want 200", status)
	}
	form := url.Values{"subject": {"s"}, "schema": {`"string"`}}.Encode()
	for _, tc := range []struct {
		name       string
		user, pass string
		want       int
	}{
		{"AnonymousReadersMayNotCheck", "", "", http.StatusForbidden},
		{"WritersMayCheck", "dev", "s3cret", http.StatusOK},
		{"WrongPasswordsAreRefused", "dev", "nope", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := s.Send(t, http.MethodPost, "/ui/check", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, tc.user, tc.pass)
			if resp.StatusCode != tc.want {
				t.Errorf("POST /ui/check = %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}
