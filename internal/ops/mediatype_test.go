package ops_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAdminAPIRefusesOtherMediaTypes: the admin API's writes take only the
// API's JSON media types, so a cross-site form post (text/plain, form
// types, or none) with ambient credentials cannot create a token.
func TestAdminAPIRefusesOtherMediaTypes(t *testing.T) {
	t.Parallel()
	s := startWithAdmin(t)
	body := `{"name":"ci","grants":["reader:*"]}`
	tests := []struct {
		name        string
		contentType string
		want        int
	}{
		{"SchemaRegistryV1", "application/vnd.schemaregistry.v1+json", http.StatusCreated},
		{"JSONWithCharset", "application/json; charset=utf-8", http.StatusCreated},
		{"Missing", "", http.StatusUnsupportedMediaType},
		{"Text", "text/plain", http.StatusUnsupportedMediaType},
		{"Form", "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, s.URL()+"/v1/auth/tokens", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req.SetBasicAuth("alice", "pw-alice")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b := new(strings.Builder)
			_, _ = io.Copy(b, res.Body)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, tt.want, b)
			}
			if tt.want == http.StatusUnsupportedMediaType && b.String() != `{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}`+"\n" {
				t.Errorf("body %q, want the 415 error object", b)
			}
		})
	}
}
