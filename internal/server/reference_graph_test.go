package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// TestReferenceGraphNeedsReadOnEverySubject: A refs B refs C. A caller who
// may read B but not C must not make the registry resolve C for it,
// directly or through B: registering or checking a schema referencing B,
// looking it up, rendering B resolved and building a consumer's reader on
// B are refused; a caller who may read C too gets them all. A check
// against a stored version referencing B needs the same. On both stores.
func TestReferenceGraphNeedsReadOnEverySubject(t *testing.T) {
	t.Parallel()
	const (
		c = `{"type":"record","name":"C","namespace":"x","fields":[{"name":"c","type":"long"}]}`
		b = `{"type":"record","name":"B","namespace":"x","fields":[{"name":"inner","type":"x.C"}]}`
		a = `{"type":"record","name":"A","namespace":"x","fields":[{"name":"mid","type":"x.B"}]}`
	)
	body := func(text string, refName, refSubject string) string {
		out, err := json.Marshal(srapi.RegisterRequest{Schema: text, References: []srapi.Reference{{Name: refName, Subject: refSubject, Version: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	consumer := func() string {
		out, err := json.Marshal(srapi.Consumer{Owner: "team-a", Reads: []srapi.ConsumerRead{{
			Subject: "team-a-top", Schema: a, References: []srapi.Reference{{Name: "x.B", Subject: "team-b-mid", Version: 1}},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}()
	servertest.ForEachBackend(t, func(t *testing.T, be servertest.Backend) {
		reg := servertest.Start(t, servertest.WithBackend(be), servertest.WithAuth([]servertest.User{
			{Name: "root", Password: "pw", Grants: []string{"admin:*"}},
			{Name: "narrow", Password: "pw", Grants: []string{"writer:team-a-*", "reader:team-b-*"}},
			{Name: "wide", Password: "pw", Grants: []string{"writer:team-a-*", "reader:team-b-*", "reader:team-c-*"}},
			{Name: "own", Password: "pw", Grants: []string{"writer:team-a-*"}},
		}, ""))
		do := func(user, method, path, payload string) (int, string) {
			t.Helper()
			contentType := ""
			if payload != "" {
				contentType = srapi.ContentType
			}
			return requestAs(t, user, method, reg.URL()+path, contentType, payload)
		}
		if status, out := do("root", http.MethodPost, "/subjects/team-c-base/versions", fmt.Sprintf(`{"schema":%q}`, c)); status != http.StatusOK {
			t.Fatalf("register C: %d %s", status, out)
		}
		status, out := do("root", http.MethodPost, "/subjects/team-b-mid/versions", body(b, "x.C", "team-c-base"))
		var bID struct{ ID int }
		if err := json.Unmarshal([]byte(out), &bID); status != http.StatusOK || err != nil {
			t.Fatalf("register B: %d %s", status, out)
		}
		// The lookup needs an existing subject to get as far as parsing.
		for _, step := range []struct{ method, path, body string }{
			{http.MethodPut, "/config/team-a-top", `{"compatibility":"NONE","additiveOnly":false}`},
			{http.MethodPost, "/subjects/team-a-top/versions", `{"schema":"\"string\""}`},
		} {
			if status, out := do("root", step.method, step.path, step.body); status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", step.method, step.path, status, out)
			}
		}
		routes := []struct {
			name, method, path, body string
		}{
			{"CompatibilityCheck", http.MethodPost, "/compatibility/subjects/team-a-top/versions/latest", body(a, "x.B", "team-b-mid")},
			{"Lookup", http.MethodPost, "/subjects/team-a-top", body(a, "x.B", "team-b-mid")},
			{"ResolvedVersion", http.MethodGet, "/subjects/team-b-mid/versions/1?format=resolved", ""},
			{"ResolvedID", http.MethodGet, fmt.Sprintf("/schemas/ids/%d?format=resolved", bID.ID), ""},
			{"ConsumerReader", http.MethodPut, "/v1/consumers/team-a-reader", consumer},
			{"Registration", http.MethodPost, "/subjects/team-a-top/versions", body(a, "x.B", "team-b-mid")},
		}
		for _, rt := range routes {
			status, out := do("narrow", rt.method, rt.path, rt.body)
			var e struct {
				Code srapi.Code `json:"error_code"`
			}
			_ = json.Unmarshal([]byte(out), &e)
			if status != http.StatusForbidden || e.Code != srapi.CodeForbidden {
				t.Errorf("narrow %s: %d %s, want 403/%d", rt.name, status, out, srapi.CodeForbidden)
			}
			if strings.Contains(out, "x.C") || strings.Contains(out, `\"c\"`) {
				t.Errorf("narrow %s: the answer shows C's schema: %s", rt.name, out)
			}
		}
		for _, rt := range routes {
			// The lookup finds nothing until the registration (last) ran.
			want := http.StatusOK
			if rt.name == "Lookup" {
				want = http.StatusNotFound
			}
			if status, out := do("wide", rt.method, rt.path, rt.body); status != want && !(want == http.StatusOK && status == http.StatusCreated) {
				t.Errorf("wide %s: %d %s, want %d", rt.name, status, out, want)
			}
		}
		// team-a-top's latest version now references B: a check against
		// it resolves B and C, whatever the new schema references, so a
		// caller who may read neither is refused.
		check := `{"schema":"\"string\""}`
		if status, out := do("own", http.MethodPost, "/compatibility/subjects/team-a-top/versions/latest?verbose=true", check); status != http.StatusForbidden || strings.Contains(out, "x.C") {
			t.Errorf("own: check against a version referencing B: %d %s, want 403", status, out)
		}
		if status, out := do("wide", http.MethodPost, "/compatibility/subjects/team-a-top/versions/latest?verbose=true", check); status != http.StatusOK {
			t.Errorf("wide: check against a version referencing B: %d %s, want 200", status, out)
		}
	})
}
