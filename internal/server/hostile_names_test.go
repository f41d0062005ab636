package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// hostileNames are a NUL byte and invalid UTF-8, escaped as in a path or
// query, and raw as in a form field.
var hostileNames = []struct{ name, pathEscaped, raw string }{
	{"NUL", "a%00b", "a\x00b"},
	{"InvalidUTF8", "a%ffb", "a\xffb"},
}

// routeParam matches an echo route parameter such as :subject.
var routeParam = regexp.MustCompile(`:[a-z]+`)

// TestHostileNamesInEveryRouteAreClientErrors probes every route the
// registry serves (the API, the operations and admin routes) with a NUL
// byte or invalid UTF-8 in each path parameter, as a global admin, and as
// a basic-auth user name, on both stores: each answers a 4xx, never a 500.
func TestHostileNamesInEveryRouteAreClientErrors(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		reg := servertest.Start(t, servertest.WithBackend(b),
			servertest.WithAuth([]servertest.User{{Name: "root", Password: "pw", Grants: []string{"admin:*"}}}, ""))
		routes := reg.Routes(t)
		probed := 0
		for _, h := range hostileNames {
			for _, rt := range routes {
				if !strings.Contains(rt.Path, ":") {
					continue
				}
				path := routeParam.ReplaceAllString(rt.Path, h.pathEscaped)
				probed++
				status, body := adminDo(t, rt.Method, reg.URL()+path, srapi.ContentType, `{}`)
				if status < 400 || status >= 500 {
					t.Errorf("%s: %s %s = %d %.200s, want a 4xx", h.name, rt.Method, path, status, body)
				}
			}
		}
		// The same names as a basic-auth user name: an unknown user (401).
		for _, name := range []string{"a\x00b", "a\xffb"} {
			if resp := reg.Send(t, http.MethodGet, "/subjects", "", nil, name, "pw"); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("basic auth as %q = %d, want 401", name, resp.StatusCode)
			}
		}
		if probed < 20 {
			t.Fatalf("probed %d routes with parameters, want every one (the route table is wrong)", probed)
		}
	})
}

// TestHostileFieldsInBodiesAreClientErrors: a NUL byte in a name or
// free-text field of a JSON body (a consumer, a deprecation record, a
// token, a user, a schema and its references, config and mode), or a NUL
// byte or invalid UTF-8 in a field of the UI's check form, answers a 4xx
// on both stores, and nothing is stored. (JSON decoding turns invalid
// UTF-8 in a body into U+FFFD, which is valid text.)
func TestHostileFieldsInBodiesAreClientErrors(t *testing.T) {
	t.Parallel()
	const ok = `{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}`
	okSchema := fmt.Sprintf(`{"schema":%q}`, ok)
	bodies := []struct {
		name, method, path, body string
	}{
		{"ConsumerName", http.MethodPost, "/v1/consumers", `{"name":"%s","owner":"o","reads":[{"subject":"s","fields":["a"]}]}`},
		{"ConsumerOwner", http.MethodPut, "/v1/consumers/c1", `{"owner":"%s","reads":[{"subject":"s","fields":["a"]}]}`},
		{"ConsumerLabelKey", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","labels":{"%s":"v"},"reads":[{"subject":"s","fields":["a"]}]}`},
		{"ConsumerLabelValue", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","labels":{"k":"%s"},"reads":[{"subject":"s","fields":["a"]}]}`},
		{"ConsumerReadSubject", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","reads":[{"subject":"%s","fields":["a"]}]}`},
		{"ConsumerField", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","reads":[{"subject":"s","fields":["%s"]}]}`},
		{"ConsumerMessage", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","reads":[{"subject":"s","schemaType":"PROTOBUF","schema":"syntax = \"proto3\"; message M { int64 a = 1; }","message":"%s"}]}`},
		{"ConsumerReaderRef", http.MethodPut, "/v1/consumers/c1", `{"owner":"o","reads":[{"subject":"s","schema":"\"long\"","references":[{"name":"%s","subject":"s","version":1}]}]}`},
		{"BackfillCandidate", http.MethodPost, "/v1/consumers/c1/backfill", `{"owner":"%s","reads":[{"subject":"s","fields":["a"]}]}`},
		{"DeprecationSubject", http.MethodPost, "/v1/deprecations", `{"subject":"%s","reason":"r"}`},
		{"DeprecationPath", http.MethodPost, "/v1/deprecations", `{"subject":"s","path":"%s","reason":"r"}`},
		{"DeprecationReason", http.MethodPost, "/v1/deprecations", `{"subject":"s","path":"R.a","reason":"%s"}`},
		{"DeprecationReplacement", http.MethodPost, "/v1/deprecations", `{"subject":"s","path":"R.a","reason":"r","replacement":"%s"}`},
		{"DeprecationSunset", http.MethodPost, "/v1/deprecations", `{"subject":"s","path":"R.a","reason":"r","sunset":"%s"}`},
		{"DeprecationUpdateReason", http.MethodPut, "/v1/deprecations/1", `{"subject":"s","path":"R.a","reason":"%s"}`},
		{"TokenName", http.MethodPost, "/v1/auth/tokens", `{"name":"%s","grants":["reader:*"]}`},
		{"TokenGrant", http.MethodPost, "/v1/auth/tokens", `{"name":"t","grants":["reader:%s"]}`},
		{"UserPassword", http.MethodPut, "/v1/auth/users/u1", `{"password":"%s-long-enough-password","grants":["reader:*"]}`},
		{"UserGrant", http.MethodPut, "/v1/auth/users/u1", `{"password":"long-enough-password","grants":["reader:%s"]}`},
		{"ReferenceName", http.MethodPost, "/subjects/s2/versions", `{"schema":"\"long\"","references":[{"name":"%s","subject":"s","version":1}]}`},
		{"ReferenceSubject", http.MethodPost, "/subjects/s2/versions", `{"schema":"\"long\"","references":[{"name":"r","subject":"%s","version":1}]}`},
		{"LookupReference", http.MethodPost, "/subjects/s", `{"schema":"\"long\"","references":[{"name":"r","subject":"%s","version":1}]}`},
		{"CompatReference", http.MethodPost, "/compatibility/subjects/s/versions/latest", `{"schema":"\"long\"","references":[{"name":"r","subject":"%s","version":1}]}`},
		{"SchemaType", http.MethodPost, "/subjects/s2/versions", `{"schemaType":"%s","schema":"\"long\""}`},
		{"SchemaDoc", http.MethodPost, "/subjects/s2/versions", `{"schema":"{\"type\":\"string\",\"doc\":\"%s\"}"}`},
		{"ConfigGroup", http.MethodPut, "/config/s", `{"compatibility":"BACKWARD","compatibilityGroup":"%s"}`},
		{"Mode", http.MethodPut, "/mode/s", `{"mode":"%s"}`},
	}
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		reg := servertest.Start(t, servertest.WithBackend(b),
			servertest.WithAuth([]servertest.User{{Name: "root", Password: "pw", Grants: []string{"admin:*"}}}, ""))
		base := reg.URL()
		for _, step := range []struct{ method, path, body string }{
			{http.MethodPost, "/subjects/s/versions", okSchema},
			{http.MethodPost, "/v1/deprecations", `{"subject":"s","path":"R.a","reason":"r"}`},
		} {
			if status, body := adminDo(t, step.method, base+step.path, srapi.ContentType, step.body); status >= 300 {
				t.Fatalf("%s %s: %d %.300s", step.method, step.path, status, body)
			}
		}
		for _, tc := range bodies {
			body := fmt.Sprintf(tc.body, `a\u0000b`)
			status, answer := adminDo(t, tc.method, base+tc.path, srapi.ContentType, body)
			if status < 400 || status >= 500 {
				t.Errorf("NUL in %s: %s %s = %d %.200s, want a 4xx", tc.name, tc.method, tc.path, status, answer)
			}
		}
		for _, h := range hostileNames {
			form := url.Values{"subject": {"s"}, "format": {"AVRO"}, "schema": {ok}}
			for _, field := range []string{"subject", "format", "schema"} {
				f := url.Values{}
				for k, v := range form {
					f[k] = v
				}
				f.Set(field, h.raw)
				status, answer := adminDo(t, http.MethodPost, base+"/ui/check", "application/x-www-form-urlencoded", f.Encode())
				if status < 400 || status >= 500 {
					t.Errorf("%s in the UI check form's %s: %d %.200s, want a 4xx", h.name, field, status, answer)
				}
			}
		}
		// Nothing hostile was stored.
		for _, path := range []string{"/v1/consumers", "/v1/deprecations", "/v1/auth/tokens", "/subjects"} {
			status, answer := adminDo(t, http.MethodGet, base+path, "", "")
			if status != http.StatusOK || strings.Contains(answer, `\u0000`) {
				t.Errorf("GET %s = %d %.300s: a hostile name was stored", path, status, answer)
			}
		}
	})
}

// adminDo makes a request as the global admin of the probes.
func adminDo(t *testing.T, method, target, contentType, body string) (int, string) {
	t.Helper()
	return requestAs(t, "root", method, target, contentType, body)
}

// requestAs makes a request as user (password pw; anonymous when user is
// empty), with a body when contentType is set, and returns the status and
// body of the answer.
func requestAs(t *testing.T, user, method, target, contentType, body string) (int, string) {
	t.Helper()
	status, answer, err := tryRequestAs(user, method, target, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, answer
}

// tryRequestAs is requestAs for goroutines other than the test's, which
// must not stop the test.
func tryRequestAs(user, method, target, contentType, body string) (int, string, error) {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		req.SetBasicAuth(user, "pw")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: %w", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
