package ops_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// The principals of the matrix.
const (
	pAnon      = "anon"      // no credentials, anonymous access off
	pBadPw     = "badpw"     // a known user with a wrong password
	pReader    = "reader"    // reader:*
	pTeam      = "team"      // writer:payments.*, reader:*
	pTeamAdmin = "teamadmin" // admin:payments.*
	pWriter    = "writer"    // writer:*
	pAdmin     = "admin"     // admin:*
	pToken     = "token"     // a bearer token with writer:payments.*
)

var allPrincipals = []string{pAnon, pBadPw, pReader, pTeam, pTeamAdmin, pWriter, pAdmin, pToken}

// Who may do what. These sets are written out by hand from the
// authorization design (docs/operations.md), independently of the rule
// table they check.
var (
	everyone      = set(allPrincipals...)
	authenticated = set(pReader, pTeam, pTeamAdmin, pWriter, pAdmin, pToken)
	anyReader     = authenticated
	anyWriter     = set(pTeam, pTeamAdmin, pWriter, pAdmin, pToken)
	globalReaders = set(pReader, pTeam, pWriter, pAdmin)
	globalAdmins  = set(pAdmin)
	// On subject payments.orders (inside the team's prefix) and on
	// inventory (outside it).
	readPayments   = authenticated
	readInventory  = set(pReader, pTeam, pWriter, pAdmin)
	writePayments  = set(pTeam, pTeamAdmin, pWriter, pAdmin, pToken)
	writeInventory = set(pWriter, pAdmin)
	adminPayments  = set(pTeamAdmin, pAdmin)
	adminInventory = set(pAdmin)
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// access is the expectation for one route: who may call it on
// payments.orders and on inventory (the same for routes without a
// subject), and with ?permanent=true when that raises the requirement.
type access struct {
	payments, inventory map[string]bool
	permanent           [2]map[string]bool // payments, inventory; nil when not applicable
}

func same(m map[string]bool) access { return access{payments: m, inventory: m} }

var (
	subjectRead  = access{payments: readPayments, inventory: readInventory}
	subjectWrite = access{payments: writePayments, inventory: writeInventory,
		permanent: [2]map[string]bool{adminPayments, adminInventory}}
	subjectAdmin = access{payments: adminPayments, inventory: adminInventory}
)

// expected maps every route the registry serves to who may call it.
var expected = map[string]access{
	"GET /livez":        same(everyone),
	"GET /readyz":       same(everyone),
	"GET /metrics":      same(everyone),
	"GET /openapi.json": same(everyone),

	"GET /":                    same(authenticated),
	"GET /schemas/types":       same(authenticated),
	"GET /v1/metadata/id":      same(authenticated),
	"GET /v1/metadata/version": same(authenticated),
	"GET /v1/auth/whoami":      same(authenticated),
	// Listings answer every reader, with what its grants cover
	// (TestReadersSeeOnlyTheirSubjects).
	"GET /schemas":                  same(anyReader),
	"GET /subjects":                 same(anyReader),
	"GET /schemas/ids/:id":          same(anyReader),
	"GET /schemas/ids/:id/schema":   same(anyReader),
	"GET /schemas/ids/:id/subjects": same(anyReader),
	"GET /schemas/ids/:id/versions": same(anyReader),
	"GET /config":                   same(anyReader),
	"GET /mode":                     same(anyReader),
	"GET /contexts":                 same(anyReader),

	"POST /subjects/:subject":                                 subjectRead,
	"DELETE /subjects/:subject":                               subjectWrite,
	"GET /subjects/:subject/versions":                         subjectRead,
	"POST /subjects/:subject/versions":                        {payments: writePayments, inventory: writeInventory},
	"GET /subjects/:subject/versions/:version":                subjectRead,
	"DELETE /subjects/:subject/versions/:version":             subjectWrite,
	"GET /subjects/:subject/versions/:version/schema":         subjectRead,
	"GET /subjects/:subject/versions/:version/referencedby":   subjectRead,
	"GET /subjects/:subject/metadata":                         subjectRead,
	"POST /compatibility/subjects/:subject/versions":          subjectRead,
	"POST /compatibility/subjects/:subject/versions/:version": subjectRead,
	"GET /config/:subject":                                    subjectRead,
	"PUT /config/:subject":                                    subjectAdmin,
	"DELETE /config/:subject":                                 subjectAdmin,
	"GET /mode/:subject":                                      subjectRead,
	"PUT /mode/:subject":                                      subjectAdmin,
	"DELETE /mode/:subject":                                   subjectAdmin,

	"PUT /config":               same(globalAdmins),
	"DELETE /config":            same(globalAdmins),
	"PUT /mode":                 same(globalAdmins),
	"DELETE /mode":              same(globalAdmins),
	"DELETE /contexts/:context": same(globalAdmins),

	"GET /v1/auth/tokens":         same(globalAdmins),
	"POST /v1/auth/tokens":        same(globalAdmins),
	"DELETE /v1/auth/tokens/:id":  same(globalAdmins),
	"GET /v1/auth/users":          same(globalAdmins),
	"PUT /v1/auth/users/:name":    same(globalAdmins),
	"DELETE /v1/auth/users/:name": same(globalAdmins),

	// Consumers and deprecations: the route needs the role on some
	// subject; the subjects named in the body or the stored record are
	// checked by TestBodyNamedSubjects.
	"GET /v1/consumers":                 same(anyReader),
	"POST /v1/consumers":                same(anyWriter),
	"GET /v1/consumers/:name":           same(anyReader),
	"PUT /v1/consumers/:name":           same(anyWriter),
	"DELETE /v1/consumers/:name":        same(anyWriter),
	"GET /v1/consumers/:name/backfill":  same(anyReader),
	"POST /v1/consumers/:name/backfill": same(anyReader),
	"GET /v1/deprecations":              same(anyReader),
	"POST /v1/deprecations":             same(anyWriter),
	"GET /v1/deprecations/:id":          same(anyReader),
	"PUT /v1/deprecations/:id":          same(anyWriter),
	"DELETE /v1/deprecations/:id":       same(anyWriter),
	"GET /v1/reports/deprecations":      same(anyReader),
}

// fill substitutes path parameters.
func fill(path, subject string) string {
	r := strings.NewReplacer(":subject", url.PathEscape(subject), ":version", "1", ":id", "1", ":name", "someone", ":context", ".matrix")
	return r.Replace(path)
}

// bodyFor returns a plausible JSON body for a write route.
func bodyFor(method, path string) any {
	switch {
	case method == http.MethodGet || method == http.MethodDelete:
		return nil
	case strings.HasPrefix(path, "/config"):
		return map[string]any{"compatibility": "BACKWARD"}
	case strings.HasPrefix(path, "/mode"):
		return map[string]any{"mode": "READWRITE"}
	case path == "/v1/auth/tokens":
		return map[string]any{"name": "matrix", "grants": []string{"reader:*"}}
	case strings.HasPrefix(path, "/v1/auth/users"):
		return map[string]any{"password": "pw-for-someone", "grants": []string{"reader:*"}}
	}
	return map[string]any{"schema": avroV1}
}

// startWithPrincipals starts a registry with authentication on, whose
// users are the principals of the matrix, and returns it with each
// principal's credentials. opts may adjust the config (cfg.Ops keeps the
// authentication file) or pick a backend.
func startWithPrincipals(t *testing.T, cfg server.Config, opts ...servertest.Option) (*servertest.Registry, map[string]credential) {
	t.Helper()
	authFile := servertest.AuthConfigFile(t, []servertest.User{
		{Name: pReader, Password: "pw-reader", Grants: []string{"reader:*"}},
		{Name: pTeam, Password: "pw-team", Grants: []string{"writer:payments.*", "reader:*"}},
		{Name: pTeamAdmin, Password: "pw-teamadmin", Grants: []string{"admin:payments.*"}},
		{Name: pWriter, Password: "pw-writer", Grants: []string{"writer:*"}},
		{Name: pAdmin, Password: "pw-admin", Grants: []string{"admin:*"}},
	}, "")
	cfg.Ops.AuthConfigFile = authFile
	if cfg.Ops.AuditLog == "" {
		cfg.Ops.AuditLog = opsConfig(authFile).AuditLog
	}
	s := servertest.Start(t, append([]servertest.Option{servertest.WithConfig(cfg)}, opts...)...)

	// The token principal is made through the admin API, as an operator
	// would.
	res := do(t, &http.Client{}, http.MethodPost, s.URL()+"/v1/auth/tokens", basic(pAdmin, "pw-admin"),
		map[string]any{"name": "payments-ci", "grants": []string{"writer:payments.*"}})
	token := createdToken(t, res).Token

	return s, map[string]credential{
		pAnon: anonymous, pBadPw: basic(pAdmin, "not-the-password"),
		pReader: basic(pReader, "pw-reader"), pTeam: basic(pTeam, "pw-team"),
		pTeamAdmin: basic(pTeamAdmin, "pw-teamadmin"), pWriter: basic(pWriter, "pw-writer"),
		pAdmin: basic(pAdmin, "pw-admin"), pToken: bearer(token),
	}
}

func TestEveryRouteWithEveryRole(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	hc := &http.Client{}

	type variant struct {
		name, subject, query string
		allowed              map[string]bool
	}
	seen := 0
	for _, rt := range s.Routes(t) {
		method, path := rt.Method, rt.Path
		key := method + " " + path
		want, ok := expected[key]
		if !ok {
			t.Errorf("route %s has no expectation in this test: add one (and a rule in authhttp.DefaultRules)", key)
			continue
		}
		seen++
		variants := []variant{{"Payments", "payments.orders", "", want.payments}}
		if strings.Contains(path, ":subject") {
			variants = append(variants, variant{"Inventory", "inventory", "", want.inventory})
		}
		if want.permanent[0] != nil {
			variants = append(variants,
				variant{"PaymentsPermanent", "payments.orders", "?permanent=true", want.permanent[0]},
				variant{"InventoryPermanent", "inventory", "?permanent=true", want.permanent[1]})
		}
		for _, v := range variants {
			for _, p := range allPrincipals {
				t.Run(strings.ReplaceAll(key, "/", "_")+"/"+v.name+"/"+p, func(t *testing.T) {
					res := do(t, hc, method, s.URL()+fill(path, v.subject)+v.query, creds[p], bodyFor(method, path))
					assertAccess(t, res, v.allowed[p], p == pAnon || p == pBadPw)
				})
			}
		}
	}
	if seen < 40 {
		t.Errorf("walked %d routes, want the whole API", seen)
	}

	// Listings filtered by a prefix, inside the team's grants or not:
	// answered (with what the caller may read), never refused.
	for p, allowed := range map[string]bool{pReader: true, pTeam: true, pTeamAdmin: true, pToken: true, pAnon: false} {
		for _, path := range []string{"/subjects", "/schemas"} {
			for _, prefix := range []string{"payments.eu", "pay"} {
				res := do(t, hc, http.MethodGet, s.URL()+path+"?subjectPrefix="+prefix, creds[p], nil)
				assertAccess(t, res, allowed, p == pAnon)
			}
		}
	}
}

// assertAccess checks an answer: allowed requests reach the handler
// (whatever it answers); refused ones get 401/40101 when
// unauthenticated, 403/40301 otherwise, in Confluent's error shape.
func assertAccess(t *testing.T, res response, allowed, unauthenticated bool) {
	t.Helper()
	switch {
	case allowed:
		if res.status == http.StatusUnauthorized || res.status == http.StatusForbidden {
			t.Errorf("refused with %d %s, want allowed", res.status, res.body)
		}
	case unauthenticated:
		if res.status != http.StatusUnauthorized || res.errorCode() != int(srapi.CodeUnauthenticated) {
			t.Errorf("got %d %s, want 401 with error_code 40101", res.status, res.body)
		}
		if res.header.Get("WWW-Authenticate") == "" {
			t.Error("401 without a WWW-Authenticate challenge")
		}
	default:
		if res.status != http.StatusForbidden || res.errorCode() != int(srapi.CodeForbidden) {
			t.Errorf("got %d %s, want 403 with error_code 40301", res.status, res.body)
		}
	}
}

func TestAnonymousReadOnly(t *testing.T) {
	t.Parallel()
	authFile := servertest.AuthConfigFile(t, []servertest.User{{Name: pAdmin, Password: "pw-admin", Grants: []string{"admin:*"}}}, "anonymous: read\n")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: opsConfig(authFile)}))
	hc := &http.Client{}
	tests := []struct {
		name         string
		method, path string
		allowed      bool
	}{
		{"ListsSubjects", http.MethodGet, "/subjects", true},
		{"ReadsConfig", http.MethodGet, "/config/orders-value", true},
		{"ChecksCompatibility", http.MethodPost, "/compatibility/subjects/orders-value/versions", true},
		{"CannotRegister", http.MethodPost, "/subjects/orders-value/versions", false},
		{"CannotChangeConfig", http.MethodPut, "/config", false},
		{"CannotListTokens", http.MethodGet, "/v1/auth/tokens", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, hc, tt.method, s.URL()+tt.path, anonymous, bodyFor(tt.method, tt.path))
			assertAccess(t, res, tt.allowed, false)
		})
	}
}
