package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// protoOrderSunset is a Protobuf schema whose deprecated field carries sunset
// in its @sunset comment.
func protoOrderSunset(sunset string) string {
	return fmt.Sprintf(`syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  // Free text.
  // @sunset %s @replacement shop.v1.Order.comment
  string note = 2 [deprecated = true];
  string comment = 3;
}
`, sunset)
}

// TestProtobufSunsetBelongsToTheVersion: a sunset in a Protobuf comment
// is part of the schema's identity, so two subjects registering the same
// descriptor with different sunsets each keep their own, and changing only
// the sunset in one subject registers a new version.
func TestProtobufSunsetBelongsToTheVersion(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newConsumerServer(t, b)
		register := func(subject, sunset string) map[string]any {
			t.Helper()
			return decode[map[string]any](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/" + subject + "/versions",
				Body: schemaBody(t, "PROTOBUF", protoOrderSunset(sunset))}, http.StatusOK))
		}
		a := register("a-value", "2030-06-01")
		bb := register("b-value", "2031-01-01")
		if a["id"] == bb["id"] {
			t.Fatalf("both subjects got id %v: the second subject's sunset is lost", a["id"])
		}
		for subject, want := range map[string]string{"a-value": "2030-06-01", "b-value": "2031-01-01"} {
			got := decode[map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/" + subject + "/versions/latest"}, http.StatusOK))
			if text, _ := got["schema"].(string); !strings.Contains(text, "@sunset "+want) {
				t.Errorf("%s stores %q, want its own sunset %s", subject, text, want)
			}
		}
		rep := s.report(t, "")
		sunsets := map[string]string{}
		for _, it := range rep.Items {
			sunsets[it.Subject] = fmt.Sprint(it.DaysLeft)
		}
		if len(sunsets) != 2 || sunsets["a-value"] == sunsets["b-value"] {
			t.Errorf("report days left by subject = %v, want two different countdowns", sunsets)
		}

		// Re-registering the same text is idempotent; changing only the
		// sunset registers version 2.
		if again := register("a-value", "2030-06-01"); again["id"] != a["id"] {
			t.Errorf("re-registration got id %v, want %v", again["id"], a["id"])
		}
		register("a-value", "2032-01-01")
		latest := decode[map[string]any](t, s.mustDo(t, request{Method: http.MethodGet, Path: "/subjects/a-value/versions/latest"}, http.StatusOK))
		if latest["version"] != float64(2) || !strings.Contains(latest["schema"].(string), "@sunset 2032-01-01") {
			t.Errorf("after changing the sunset, latest = %v, want version 2 with the new sunset", latest)
		}
	})
}

// TestRemovedElementFindingsAreLocated: the verbose compatibility answer
// locates a removed field at the record that held it in the new text,
// marked newEnclosing, and at its own place in the stored old text.
func TestRemovedElementFindingsAreLocated(t *testing.T) {
	t.Parallel()
	s := newConsumerServer(t, servertest.SQLite)
	const v1 = "{\n  \"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\",\n  \"fields\": [\n    {\"name\": \"id\", \"type\": \"long\"},\n    {\"name\": \"note\", \"type\": \"string\", \"default\": \"\"}\n  ]\n}\n"
	const v2 = "{\n  \"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\",\n  \"fields\": [\n    {\"name\": \"id\", \"type\": \"long\"}\n  ]\n}\n"
	s.mustDo(t, request{Method: http.MethodPost, Path: "/subjects/orders-value/versions", Body: schemaBody(t, "", v1)}, http.StatusOK)
	type finding struct {
		RuleID       string          `json:"ruleId"`
		Path         string          `json:"path"`
		New          *map[string]int `json:"new"`
		Old          *map[string]int `json:"old"`
		NewEnclosing bool            `json:"newEnclosing"`
	}
	got := decode[struct {
		Findings []finding `json:"findings"`
	}](t, s.mustDo(t, request{Method: http.MethodPost, Path: "/compatibility/subjects/orders-value/versions/latest?verbose=true", Body: schemaBody(t, "", v2)}, http.StatusOK))
	var removed *finding
	for i, f := range got.Findings {
		if f.RuleID == "AVRO_ADDITIVE_FIELD_REMOVED" {
			removed = &got.Findings[i]
		}
	}
	if removed == nil || !removed.NewEnclosing || removed.New == nil || (*removed.New)["line"] != 1 || removed.Old == nil {
		t.Fatalf("findings = %+v (new %v, old %v); want AVRO_ADDITIVE_FIELD_REMOVED at new line 1 (the record, newEnclosing) and located in the stored old text", got.Findings, *removed.New, *removed.Old)
	}
}
