package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// TestJSONSchemaEndToEnd registers JSON Schemas over HTTP on every store:
// the type is advertised, a schema with a reference registers and reads
// back in its stored form, an incompatible change is refused with the
// JSON rule that caught it, and an invalid schema is a located 42201.
func TestJSONSchemaEndToEnd(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		srv := newServer(t, b, server.Config{})

		types := srv.mustDo(t, request{Method: "GET", Path: "/schemas/types"}, 200)
		var list []string
		if err := json.Unmarshal(types.Body, &list); err != nil || !slices.Contains(list, "JSON") {
			t.Fatalf("/schemas/types = %s, want it to list JSON", types.Body)
		}

		customer := `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`
		srv.mustDo(t, request{Method: "POST", Path: "/subjects/customer/versions", Body: schemaBody(t, "JSON", customer)}, 200)

		order := "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"id\": {\"type\": \"string\"},\n    \"customer\": {\"$ref\": \"customer.json\"}\n  },\n  \"additionalProperties\": false\n}"
		ref := map[string]any{"name": "customer.json", "subject": "customer", "version": 1}
		reg := srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: schemaBody(t, "JSON", order, ref)}, 200)
		var id struct{ ID int }
		if err := json.Unmarshal(reg.Body, &id); err != nil || id.ID == 0 {
			t.Fatalf("register: %s", reg.Body)
		}
		got := srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d", id.ID)}, 200)
		var stored struct {
			Schema     string `json:"schema"`
			SchemaType string `json:"schemaType"`
		}
		if err := json.Unmarshal(got.Body, &stored); err != nil {
			t.Fatal(err)
		}
		wantText := `{"type":"object","properties":{"id":{"type":"string"},"customer":{"$ref":"customer.json"}},"additionalProperties":false}`
		if stored.SchemaType != "JSON" || stored.Schema != wantText {
			t.Fatalf("stored schema = %s %q, want JSON %q", stored.SchemaType, stored.Schema, wantText)
		}
		again := srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: schemaBody(t, "JSON", wantText, ref)}, 200)
		if string(again.Body) != string(reg.Body) {
			t.Fatalf("re-registering the same schema = %s, want %s", again.Body, reg.Body)
		}

		// Removing a property from a closed content model breaks BACKWARD.
		broken := `{"type":"object","properties":{"customer":{"$ref":"customer.json"}},"additionalProperties":false}`
		check := srv.mustDo(t, request{Method: "POST", Path: "/compatibility/subjects/orders-value/versions/latest?verbose=true",
			Body: schemaBody(t, "JSON", broken, ref)}, 200)
		if !strings.Contains(string(check.Body), `"is_compatible":false`) || !strings.Contains(string(check.Body), "JSON_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL") {
			t.Fatalf("compatibility check = %s, want an incompatible verdict naming the rule", check.Body)
		}
		srv.mustDo(t, request{Method: "POST", Path: "/subjects/orders-value/versions", Body: schemaBody(t, "JSON", broken, ref)}, 409)

		bad := srv.mustDo(t, request{Method: "POST", Path: "/subjects/bad/versions", Body: schemaBody(t, "JSON", "{\n  \"type\": \"strng\"\n}")}, 422)
		if !strings.Contains(string(bad.Body), "42201") || !strings.Contains(string(bad.Body), "2:11") {
			t.Fatalf("invalid schema = %s, want 42201 located at 2:11", bad.Body)
		}
	})
}
