package ops_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
)

// TestConfluentClientAuthenticates drives Confluent's own Go client with
// basic credentials and with a bearer token, as serializers configured
// for an authenticated registry would.
func TestConfluentClientAuthenticates(t *testing.T) {
	t.Parallel()
	s := startWithAdmin(t)
	token := createdToken(t, do(t, &http.Client{}, http.MethodPost, s.URL()+"/v1/auth/tokens", basic("alice", "pw-alice"),
		map[string]any{"name": "serializer", "grants": []string{"writer:payments.*"}})).Token

	tests := []struct {
		name    string
		conf    *schemaregistry.Config
		subject string
		wantErr string
	}{
		{"BasicAuth", schemaregistry.NewConfigWithBasicAuthentication(s.URL(), "alice", "pw-alice"), "inventory-value", ""},
		{"BearerToken", schemaregistry.NewConfigWithBearerAuthentication(s.URL(), token, "ignored", "ignored"), "payments.orders-value", ""},
		{"BearerTokenOutsideItsGrant", schemaregistry.NewConfigWithBearerAuthentication(s.URL(), token, "ignored", "ignored"), "inventory-value", "40301"},
		{"WrongPassword", schemaregistry.NewConfigWithBasicAuthentication(s.URL(), "alice", "nope"), "inventory-value", "40101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := schemaregistry.NewClient(tt.conf)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			id, err := c.Register(tt.subject, schemaregistry.SchemaInfo{Schema: avroV1}, false)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Register: %v", err)
			case tt.wantErr == "" && id <= 0:
				t.Errorf("Register id = %d", id)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Register error = %v, want one with %s", err, tt.wantErr)
			}
		})
	}
}
