package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// registration is the id and version of a registration answer.
type registration struct {
	ID      int `json:"id"`
	Version int `json:"version"`
}

func (s *testServer) register(t *testing.T, subject, body string) registration {
	t.Helper()
	resp := s.mustDo(t, request{Method: "POST", Path: "/subjects/" + subject + "/versions", Body: body}, 200)
	var r registration
	if err := json.Unmarshal(resp.Body, &r); err != nil {
		t.Fatalf("registration answer %s: %v", resp.Body, err)
	}
	return r
}

// versions lists a subject's live versions (nil when it has none).
func (s *testServer) versions(t *testing.T, subject string) []int {
	t.Helper()
	resp := s.do(t, request{Method: "GET", Path: "/subjects/" + subject + "/versions"})
	if resp.Status == 404 {
		return nil
	}
	var vs []int
	if err := json.Unmarshal(resp.Body, &vs); err != nil {
		t.Fatalf("versions of %s: %s: %v", subject, resp.Body, err)
	}
	return vs
}

// cacheCount reads schemata_cache_requests_total{cache,result} from
// /metrics.
func (s *testServer) cacheCount(t *testing.T, cache, result string) float64 {
	t.Helper()
	resp := s.mustDo(t, request{Method: "GET", Path: "/metrics"}, 200)
	prefix := fmt.Sprintf(`schemata_cache_requests_total{cache=%q,result=%q} `, cache, result)
	sc := bufio.NewScanner(bytes.NewReader(resp.Body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s%s: %v", prefix, v, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in /metrics", prefix)
	return 0
}

// TestReregistrationIsNeverStale re-registers a schema, answered from the
// request-hash cache, after each change that must change or re-check the
// answer, and checks the answer against what the store holds.
func TestReregistrationIsNeverStale(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		body := schemaBody(t, "", avroOrderV1)
		hits := func() float64 { return s.cacheCount(t, "registered", "hit") }

		first := s.register(t, "stale-value", body)
		// The store echoes each change back to the process a moment
		// later, which makes an answer cached before the echo stale once.
		waitFor(t, "a re-registration answered from memory", func() bool {
			before := hits()
			if again := s.register(t, "stale-value", body); again != first {
				t.Fatalf("re-registration answered %+v, want %+v", again, first)
			}
			return hits() == before+1
		})

		// A soft-deleted version is not live: registering again makes a
		// new version with the same id.
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/stale-value/versions/1"}, 200)
		second := s.register(t, "stale-value", body)
		if second.ID != first.ID || second.Version != 2 {
			t.Errorf("after a soft delete: %+v, want id %d version 2", second, first.ID)
		}
		if again := s.register(t, "stale-value", body); again != second {
			t.Errorf("re-registration after the new version: %+v, want %+v", again, second)
		}

		// Permanently deleting the subject: the schema registers anew.
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/stale-value"}, 200)
		s.mustDo(t, request{Method: "DELETE", Path: "/subjects/stale-value?permanent=true"}, 200)
		third := s.register(t, "stale-value", body)
		if vs := s.versions(t, "stale-value"); len(vs) != 1 || vs[0] != third.Version {
			t.Errorf("after a permanent delete the registration answered %+v, the subject holds versions %v", third, vs)
		}

		// The same request under another subject is another answer.
		other := s.register(t, "stale-other-value", body)
		if vs := s.versions(t, "stale-other-value"); len(vs) != 1 || vs[0] != other.Version || other.ID != third.ID {
			t.Errorf("in another subject: %+v, subject holds %v; want its own version 1 with id %d", other, vs, third.ID)
		}

		// A config or mode change re-reads the answer rather than serve it
		// from memory: the cache misses once, then fills again.
		for _, change := range []request{
			{Method: "PUT", Path: "/config/stale-value", Body: `{"compatibility":"FULL"}`},
			{Method: "PUT", Path: "/config", Body: `{"compatibility":"BACKWARD"}`},
			{Method: "PUT", Path: "/mode/stale-value", Body: `{"mode":"READWRITE"}`},
			{Method: "DELETE", Path: "/mode/stale-value"},
		} {
			s.register(t, "stale-value", body)
			s.mustDo(t, change, 200)
			before := hits()
			if got := s.register(t, "stale-value", body); got != third {
				t.Errorf("after %s %s: %+v, want %+v", change.Method, change.Path, got, third)
			}
			if hits() != before {
				t.Errorf("after %s %s the re-registration was answered from memory", change.Method, change.Path)
			}
		}

		// READONLY refuses even a re-registration (as Confluent does), so
		// a remembered answer must not get past it.
		s.register(t, "stale-value", body)
		s.mustDo(t, request{Method: "PUT", Path: "/mode/stale-value", Body: `{"mode":"READONLY"}`}, 200)
		resp := s.mustDo(t, request{Method: "POST", Path: "/subjects/stale-value/versions", Body: body}, 422)
		if !strings.Contains(string(resp.Body), "42205") {
			t.Errorf("re-registration in READONLY: %s, want error code 42205", resp.Body)
		}
	})
}

// TestReregistrationKeyCoversTheRequest registers requests that differ in
// one field each: none may be answered with another's result.
func TestReregistrationKeyCoversTheRequest(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		s := newServer(t, b, server.Config{})
		s.mustDo(t, request{Method: "PUT", Path: "/config/key-value", Body: `{"compatibility":"NONE","additiveOnly":false}`}, 200)
		plain := `{"type":"record","name":"K","fields":[{"name":"a","type":"long"}]}`
		spaced := `{"type": "record", "name": "K", "fields": [{"name": "a", "type": "long"}]}`
		bodies := []string{
			schemaBody(t, "", plain),
			schemaBody(t, "AVRO", spaced),
			`{"schema":` + strconv.Quote(plain) + `,"metadata":{"properties":{"owner":"a"}}}`,
			`{"schema":` + strconv.Quote(plain) + `,"metadata":{"properties":{"owner":"b"}}}`,
		}
		ids := map[int]int{}
		for i, body := range bodies {
			r := s.register(t, "key-value", body)
			for range 2 {
				if again := s.register(t, "key-value", body); again != r {
					t.Errorf("body %d: re-registration answered %+v, want %+v", i, again, r)
				}
			}
			ids[r.ID]++
		}
		// The metadata is part of a schema's identity: the two owners are
		// two ids, each distinct from the plain schema's.
		if len(ids) < 3 {
			t.Errorf("four requests differing in text form or metadata got ids %v, want at least 3 distinct", ids)
		}
	})
}
