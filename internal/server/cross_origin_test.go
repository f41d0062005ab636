package server_test

import (
	"maps"
	"net/http"
	"net/url"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestUIRefusesCrossOriginPosts: with credentials a browser sends by
// itself (basic auth), a page of another site must not be able to post
// the UI's check form as the user. A post the browser marks as coming
// from another origin is refused (403) before any work; the same form
// from the UI's own origin, or from a client that is no browser, runs.
func TestUIRefusesCrossOriginPosts(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithAuth([]servertest.User{{Name: "dev", Password: "s3cret", Grants: []string{"writer:*"}}}, ""))
	form := url.Values{"subject": {"s"}, "schema": {`"string"`}}.Encode()
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"CrossSiteFetchMetadata", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"SameSiteOtherOrigin", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://other.internal.example"}, http.StatusForbidden},
		{"OtherOriginOnly", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"OpaqueOrigin", map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"SameOriginFetchMetadata", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.URL()}, http.StatusOK},
		{"SameOriginOnly", map[string]string{"Origin": s.URL()}, http.StatusOK},
		{"UserTypedNavigation", map[string]string{"Sec-Fetch-Site": "none"}, http.StatusOK},
		{"NotABrowser", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			maps.Copy(header, tt.headers)
			resp := s.Send(t, http.MethodPost, "/ui/check", form, header, "dev", "s3cret")
			if resp.StatusCode != tt.want {
				t.Errorf("POST /ui/check = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestAPIRefusesCrossSiteSimpleRequests: a page of another site can send
// without a CORS preflight only GET, HEAD and POST with a form or plain
// text body, and the registry sends no CORS headers, so every other
// request is the browser's to refuse. Every POST route of the API
// (including the consumer, deprecation and token ones) refuses such a
// body with 415 before doing anything, even for a global admin.
func TestAPIRefusesCrossSiteSimpleRequests(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, servertest.WithAuth([]servertest.User{{Name: "root", Password: "pw", Grants: []string{"admin:*"}}}, ""))
	bodies := map[string]string{
		"text/plain":                        `{"schema":"\"string\""}`,
		"application/x-www-form-urlencoded": `schema=%22string%22`,
		"multipart/form-data; boundary=x":   "--x\r\nContent-Disposition: form-data; name=\"schema\"\r\n\r\n\"string\"\r\n--x--\r\n",
	}
	posts := 0
	for _, rt := range s.Routes(t) {
		if rt.Method != http.MethodPost {
			continue
		}
		posts++
		path := routeParam.ReplaceAllStringFunc(rt.Path, func(p string) string {
			if p == ":version" {
				return "latest"
			}
			return "x"
		})
		for ct, body := range bodies {
			resp := s.Send(t, http.MethodPost, path, body, map[string]string{"Content-Type": ct, "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "root", "pw")
			if resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("POST %s with %s = %d, want 415", path, ct, resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("POST %s answers Access-Control-Allow-Origin %q: other sites could read the answer", path, got)
			}
		}
	}
	if posts < 6 {
		t.Fatalf("found %d POST routes, want the API's every one", posts)
	}
}
