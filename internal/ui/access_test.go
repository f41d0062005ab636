package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
)

// grantsHeader carries the test principal's grants; the test middleware
// stands in for auth/authhttp, which puts the principal in the context.
const grantsHeader = "X-Test-Grants"

func withTestPrincipal(t testing.TB) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if h := r.Header.Get(grantsHeader); h != "" {
				grants, err := auth.ParseGrants(strings.Split(h, ","))
				if err != nil {
					t.Errorf("bad test grants %q: %v", h, err)
				}
				p := &auth.Principal{Name: "tester", Method: auth.MethodBasic, Grants: grants}
				r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	f := newWrappedFixture(t, servertest.SQLite, ui.Options{Authorizer: ui.PrincipalAuthorizer}, withTestPrincipal(t))
	checkForm := url.Values{"subject": {ordersSubject}, "schema": {ordersNext}}.Encode()
	tests := []struct {
		name       string
		grants     string
		method     string
		path       string
		body       string
		wantStatus int
		want       string
		wantNot    string
	}{
		{name: "WithoutAPrincipalTheUIAsksToSignIn", method: http.MethodGet, path: "/ui/subjects", wantStatus: http.StatusUnauthorized, want: "Sign in"},
		{name: "AReaderSeesSubjects", grants: "reader:*", method: http.MethodGet, path: "/ui/subjects?q=o", wantStatus: http.StatusOK, want: "orders-value"},
		{name: "AReaderSeesTheCheckFormDisabled", grants: "reader:*", method: http.MethodGet, path: "/ui/check", wantStatus: http.StatusOK, want: "Checking needs the writer role"},
		{name: "AReaderMayNotRunChecks", grants: "reader:*", method: http.MethodPost, path: "/ui/check", body: checkForm, wantStatus: http.StatusForbidden, want: "may not write subject"},
		{name: "AWriterRunsChecks", grants: "writer:orders-*", method: http.MethodPost, path: "/ui/check", body: checkForm, wantStatus: http.StatusOK, want: "orders-value: compatible"},
		{name: "ListingsHideSubjectsOutsideTheGrants", grants: "reader:orders-*", method: http.MethodGet, path: "/ui/subjects?page=2", wantStatus: http.StatusOK, wantNot: "payments.v1.Payment-value"},
		{name: "ASubjectOutsideTheGrantsIsForbidden", grants: "reader:orders-*", method: http.MethodGet, path: "/ui/subjects/payments.v1.Payment-value", wantStatus: http.StatusForbidden},
		{name: "TheDiffOfASubjectOutsideTheGrantsIsForbidden", grants: "reader:orders-*", method: http.MethodGet, path: "/ui/subjects/payments.v1.Payment-value/diff", wantStatus: http.StatusForbidden},
		{name: "DeprecationsHideSubjectsOutsideTheGrants", grants: "reader:orders-*", method: http.MethodGet, path: "/ui/deprecations", wantStatus: http.StatusOK, want: "Order.currency", wantNot: "Payment.memo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.body != "" {
				h = formHeader()
			}
			if tc.grants != "" {
				h.Set(grantsHeader, tc.grants)
			}
			status, body := do(t, f.srv.Client(), tc.method, f.url(tc.path), strings.NewReader(tc.body), h)
			if status != tc.wantStatus {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.path, status, tc.wantStatus)
			}
			if tc.want != "" && !strings.Contains(body, tc.want) {
				t.Errorf("body lacks %q:\n%s", tc.want, body)
			}
			if tc.wantNot != "" && strings.Contains(body, tc.wantNot) {
				t.Errorf("body has %q", tc.wantNot)
			}
		})
	}
}
