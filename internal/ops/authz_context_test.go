package ops_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
)

// TestDeleteContextNeedsAGlobalAdmin deletes a context whose only
// subject a team admin owns: the team admin, and a writer of every
// subject, are refused with 403/40301 and the context stays; a global
// admin deletes it.
func TestDeleteContextNeedsAGlobalAdmin(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	hc := &http.Client{}
	subject := s.URL() + "/subjects/" + url.PathEscape(":.payments:payments.orders")
	if r := do(t, hc, http.MethodPost, subject+"/versions", creds[pAdmin], map[string]any{"schema": avroV1}); r.status != http.StatusOK {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	for _, permanent := range []string{"false", "true"} {
		if r := do(t, hc, http.MethodDelete, subject+"?permanent="+permanent, creds[pAdmin], nil); r.status != http.StatusOK {
			t.Fatalf("delete subject permanent=%s: %d %s", permanent, r.status, r.body)
		}
	}
	for _, p := range []string{pTeamAdmin, pWriter, pReader, pToken} {
		r := do(t, hc, http.MethodDelete, s.URL()+"/contexts/.payments", creds[p], nil)
		if r.status != http.StatusForbidden || r.errorCode() != 40301 {
			t.Errorf("%s: DELETE /contexts/.payments = %d %s, want 403 with 40301", p, r.status, r.body)
		}
	}
	if r := do(t, hc, http.MethodDelete, s.URL()+"/contexts/.payments", creds[pAdmin], nil); r.status != http.StatusNoContent {
		t.Fatalf("global admin: DELETE /contexts/.payments = %d %s, want 204", r.status, r.body)
	}
}
