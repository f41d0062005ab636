package servertest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestStartServesEachBackend starts a registry on each backend, injected
// and opened from the configuration, registers a schema over HTTP and
// finds it in the store the test holds.
func TestStartServesEachBackend(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		r := servertest.Start(t, servertest.WithBackend(b))
		if r.Store == nil {
			t.Fatal("Registry.Store is nil with WithBackend")
		}
		res, err := http.Post(r.URL()+"/subjects/s-value/versions", "application/json", strings.NewReader(`{"schema":"\"string\""}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("register: %d", res.StatusCode)
		}
		if _, err := r.Store.VersionGet(context.Background(), "s-value", 1, false); err != nil {
			t.Errorf("the registered version is not in the test's store: %v", err)
		}
		if addr := r.Logs.ListeningAddr(); addr != r.Addr() {
			t.Errorf("Logs.ListeningAddr() = %q, want the bound %q", addr, r.Addr())
		}

		opened := servertest.Start(t, servertest.WithConfig(b.Config(t)))
		if opened.Store != nil {
			t.Error("Registry.Store is set for a store the server opened itself")
		}
		if !strings.Contains(opened.Logs.String(), `"registry listening"`) {
			t.Errorf("no start-up log:\n%s", opened.Logs)
		}
	})
}

func TestStartWithAuth(t *testing.T) {
	t.Parallel()
	r := servertest.Start(t, servertest.WithAuth(
		[]servertest.User{{Name: "alice", Password: "pw-alice", Grants: []string{"admin:*"}}}, "anonymous: read\n"))
	for _, tt := range []struct {
		name       string
		user, pass string
		method     string
		want       int
	}{
		{"AnonymousMayRead", "", "", http.MethodGet, http.StatusOK},
		{"AnonymousMayNotWrite", "", "", http.MethodPost, http.StatusForbidden},
		{"TheUserMayWrite", "alice", "pw-alice", http.MethodPost, http.StatusOK},
		{"AWrongPasswordIsRefused", "alice", "nope", http.MethodGet, http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, body := "/subjects", ""
			if tt.method == http.MethodPost {
				path, body = "/subjects/a-value/versions", `{"schema":"\"string\""}`
			}
			res := r.Send(t, tt.method, path, body, map[string]string{"Content-Type": "application/json"}, tt.user, tt.pass)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, path, res.StatusCode, tt.want)
			}
		})
	}
}

func TestBackendsAreDistinctAndFresh(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, b := range servertest.Backends() {
		names[b.Name] = true
		a, c := b.NewStore(t), b.NewStore(t)
		if err := a.ModeSet(context.Background(), registry.GlobalSubject, registry.ReadOnly); err != nil {
			t.Fatalf("%s: ModeSet: %v", b.Name, err)
		}
		if _, err := c.ModeGet(context.Background(), registry.GlobalSubject); err == nil {
			t.Errorf("%s: a second store sees the first one's mode; stores must be fresh", b.Name)
		}
	}
	if len(names) != 2 {
		t.Errorf("backends %v, want SQLite and PostgreSQL", names)
	}
}
