package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// wideRecord is an Avro record of n fields of type typ, each with a doc of
// docLen bytes.
func wideRecord(n int, typ string, docLen int) string {
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"Wide","fields":[`)
	doc := strings.Repeat("d", docLen)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"f%d","type":%q,"doc":%q}`, i, typ, doc)
	}
	b.WriteString("]}")
	return b.String()
}

// send makes an anonymous request with a body and returns the status and
// body of the answer.
func send(t *testing.T, method, target, contentType, body string) (int, string) {
	t.Helper()
	return requestAs(t, "", method, target, contentType, body)
}

func schemaJSON(t *testing.T, text string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"schema": text})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFindingsCapIsVisible: a check with more findings than the cap says
// how many it left out, in the API's verbose answer and on the UI's check
// and diff pages; and the UI shows a schema larger than its threshold as
// plain text with a note, where a small one is highlighted.
func TestFindingsCapIsVisible(t *testing.T) {
	t.Parallel()
	const fields = 1300 // one error each: 300 over the cap
	s := servertest.Start(t)
	base := s.URL()
	v1, v2 := wideRecord(fields, "long", 200), wideRecord(fields, "string", 200)
	for _, step := range []struct{ method, path, body string }{
		{http.MethodPut, "/config/wide", `{"compatibility":"NONE","additiveOnly":false}`},
		{http.MethodPost, "/subjects/wide/versions", schemaJSON(t, v1)},
		{http.MethodPost, "/subjects/wide/versions", schemaJSON(t, v2)},
		{http.MethodPut, "/config/wide", `{"compatibility":"BACKWARD","additiveOnly":false}`},
		{http.MethodPost, "/subjects/small/versions", schemaJSON(t, `{"type":"record","name":"Small","fields":[{"name":"a","type":"long"}]}`)},
	} {
		if status, body := send(t, step.method, base+step.path, srapi.ContentType, step.body); status != http.StatusOK {
			t.Fatalf("%s %s: %d %.300s", step.method, step.path, status, body)
		}
	}

	t.Run("VerboseCheck", func(t *testing.T) {
		status, body := send(t, http.MethodPost, base+"/compatibility/subjects/wide/versions/1?verbose=true", srapi.ContentType, schemaJSON(t, v2))
		var res srapi.VerboseCompatibilityCheck
		if err := json.Unmarshal([]byte(body), &res); status != http.StatusOK || err != nil {
			t.Fatalf("check: %d %.300s (%v)", status, body, err)
		}
		if len(res.Findings) != 1000 || res.Truncated != fields-1000 || res.IsCompatible {
			t.Errorf("findings %d, truncated %d, compatible %v; want 1000, %d, false", len(res.Findings), res.Truncated, res.IsCompatible, fields-1000)
		}
		if n := len(res.Messages); n == 0 || res.Messages[n-1] != "and 300 more findings" {
			t.Errorf("last message %q, want it to say how many were left out", res.Messages[len(res.Messages)-1])
		}
	})
	t.Run("UIDiff", func(t *testing.T) {
		status, body := get(t, base, "/ui/subjects/wide/diff?old=1&new=2")
		if status != http.StatusOK || !strings.Contains(body, "And 300 more findings not shown") {
			t.Errorf("diff page %d does not say how many findings it left out", status)
		}
		if !strings.Contains(body, "shown as plain text, line by line") {
			t.Errorf("diff page of versions over 256 KiB has no plain-text note")
		}
	})
	t.Run("UICheck", func(t *testing.T) {
		// Against the latest version, v2: every field changes type again.
		v3 := wideRecord(fields, "boolean", 200)
		form := url.Values{"subject": {"wide"}, "format": {"AVRO"}, "schema": {v3}}.Encode()
		status, body := send(t, http.MethodPost, base+"/ui/check", "application/x-www-form-urlencoded", form)
		if status != http.StatusOK || !strings.Contains(body, "And 300 more findings not shown") {
			t.Errorf("check page %d does not say how many findings it left out", status)
		}
		if !strings.Contains(body, "shown as plain text, without highlighting") {
			t.Errorf("check page of a schema over 256 KiB has no plain-text note")
		}
	})
	t.Run("Backfill", func(t *testing.T) {
		// A reader that decodes no field of either writer version: one
		// error per field and version, 2*fields in all, over the cap.
		consumer, err := json.Marshal(srapi.Consumer{Name: "wide-reader", Owner: "team-w", Reads: []srapi.ConsumerRead{{
			Subject: "wide", SchemaType: "AVRO", Schema: wideRecord(fields, "boolean", 0), Backfill: "36500d",
		}}})
		if err != nil {
			t.Fatal(err)
		}
		if status, body := send(t, http.MethodPut, base+"/v1/consumers/wide-reader", srapi.ContentType, string(consumer)); status >= 300 {
			t.Fatalf("put consumer: %d %.300s", status, body)
		}
		status, body := get(t, base, "/v1/consumers/wide-reader/backfill")
		var res srapi.Backfill
		if err := json.Unmarshal([]byte(body), &res); status != http.StatusOK || err != nil || len(res.Subjects) != 1 {
			t.Fatalf("backfill: %d %.300s (%v)", status, body, err)
		}
		if sub := res.Subjects[0]; len(sub.Findings) != 1000 || sub.Truncated != 2*fields-1000 || res.Compatible {
			t.Errorf("findings %d, truncated %d, compatible %v; want 1000, %d, false", len(sub.Findings), sub.Truncated, res.Compatible, 2*fields-1000)
		}
		status, body = get(t, base, "/ui/consumers/wide-reader")
		if status != http.StatusOK || !strings.Contains(body, "And 1600 more findings not shown") {
			t.Errorf("consumer page %d does not say how many findings it left out", status)
		}
	})
	t.Run("UISubject", func(t *testing.T) {
		for _, tc := range []struct {
			subject string
			plain   bool
		}{{"wide", true}, {"small", false}} {
			status, body := get(t, base, "/ui/subjects/"+tc.subject)
			if got := strings.Contains(body, "shown as plain text, without highlighting"); status != http.StatusOK || got != tc.plain {
				t.Errorf("subject page of %s: %d, plain-text note %v, want %v", tc.subject, status, got, tc.plain)
			}
		}
	})
}
