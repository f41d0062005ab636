package authhttp_test

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authhttp"
	"github.com/schemata-dev/schemata/srapi"
)

// newEcho builds a small router behind the middleware: one subject route
// with a rule, and one route deliberately left without a rule.
func newEcho(t *testing.T) *echo.Echo {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	authn, err := auth.NewAuthenticator(auth.Options{Users: []auth.User{
		{Name: "team", PasswordHash: string(h), Grants: []auth.Grant{{Role: auth.Writer, Pattern: "pay/*"}}},
		{Name: "root", PasswordHash: string(h), Grants: []auth.Grant{{Role: auth.Admin, Pattern: "*"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	mw, err := authhttp.New(authhttp.Options{Authenticator: authn, Logger: slog.New(slog.DiscardHandler), Rules: []authhttp.Rule{
		{Method: http.MethodGet, Path: "/subjects/:subject", Access: authhttp.OnSubject, Role: auth.Reader},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(mw.Handle)
	ok := func(c echo.Context) error {
		p, _ := auth.FromContext(c.Request().Context())
		return c.String(http.StatusOK, p.Name)
	}
	e.GET("/subjects/:subject", ok)
	e.GET("/unruled", ok)
	return e
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	e := newEcho(t)
	basicHdr := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	tests := []struct {
		name, method, target, authz string
		wantStatus, wantCode        int
	}{
		{"AllowedOnGrantedSubject", http.MethodGet, "/subjects/pay%2Forders", basicHdr("team", "pw"), 200, 0},
		{"EscapedSubjectIsCheckedUnescaped", http.MethodGet, "/subjects/payroll%2Fx", basicHdr("team", "pw"), 403, int(srapi.CodeForbidden)},
		{"UnroutedMethodIsAuthenticatedThen405", http.MethodHead, "/subjects/pay%2Forders", basicHdr("team", "pw"), 405, 0},
		{"MalformedBasic", http.MethodGet, "/subjects/x", "Basic !!!", 401, int(srapi.CodeUnauthenticated)},
		{"BasicWithoutColon", http.MethodGet, "/subjects/x", "Basic " + base64.StdEncoding.EncodeToString([]byte("team")), 401, int(srapi.CodeUnauthenticated)},
		{"UnsupportedScheme", http.MethodGet, "/subjects/x", "Digest abc", 401, int(srapi.CodeUnauthenticated)},
		{"BearerWithoutTokenStore", http.MethodGet, "/subjects/x", "Bearer sch_abc", 401, int(srapi.CodeUnauthenticated)},
		{"RouteWithoutRuleNeedsGlobalAdmin", http.MethodGet, "/unruled", basicHdr("team", "pw"), 403, int(srapi.CodeForbidden)},
		{"RouteWithoutRuleAllowsGlobalAdmin", http.MethodGet, "/unruled", basicHdr("root", "pw"), 200, 0},
		{"UnknownRouteNeedsCredentials", http.MethodGet, "/nowhere", "", 401, int(srapi.CodeUnauthenticated)},
		{"UnknownRouteIsNotFoundOnceAuthenticated", http.MethodGet, "/nowhere", basicHdr("team", "pw"), 404, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.authz != "" {
				req.Header.Set("Authorization", tt.authz)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tt.wantStatus)
			}
			if tt.wantCode == 0 || tt.method == http.MethodHead {
				return
			}
			var body srapi.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || int(body.ErrorCode) != tt.wantCode || body.Message == "" {
				t.Errorf("body %s (%v), want error_code %d", rec.Body, err, tt.wantCode)
			}
			if ct := rec.Header().Get("Content-Type"); ct != srapi.ContentType {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestNewRejectsBadRules(t *testing.T) {
	t.Parallel()
	authn, err := auth.NewAuthenticator(auth.Options{Anonymous: []auth.Grant{{Role: auth.Reader, Pattern: "*"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		rules []authhttp.Rule
	}{
		{"Duplicate", []authhttp.Rule{
			{Method: "GET", Path: "/x", Access: authhttp.Public}, {Method: "GET", Path: "/x", Access: authhttp.Public},
		}},
		{"MissingRole", []authhttp.Rule{{Method: "GET", Path: "/x", Access: authhttp.OnSubject}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := authhttp.New(authhttp.Options{Authenticator: authn, Rules: tt.rules}); err == nil {
				t.Error("New accepted invalid rules")
			}
		})
	}
	if _, err := authhttp.New(authhttp.Options{Authenticator: authn}); err != nil {
		t.Errorf("DefaultRules are invalid: %v", err)
	}
}

func TestServerTLSConfigValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    authhttp.TLSOptions
	}{
		{"KeyWithoutCertificate", authhttp.TLSOptions{KeyFile: "k.pem"}},
		{"MissingFiles", authhttp.TLSOptions{CertFile: "/nonexistent/c.pem", KeyFile: "/nonexistent/k.pem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := authhttp.ServerTLSConfig(tt.o); err == nil {
				t.Error("ServerTLSConfig accepted an invalid configuration")
			}
		})
	}
}
