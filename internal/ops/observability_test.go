package ops_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/ops/metrics/metricstest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

// scrape fetches /metrics over HTTP and parses the text format.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	return metricstest.Parse(t, res.Body)
}

// value sums the samples of family whose labels include want.
func value(mfs map[string]*dto.MetricFamily, family string, want map[string]string) (float64, bool) {
	mf, ok := mfs[family]
	if !ok {
		return 0, false
	}
	var sum float64
	found := false
next:
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		found = true
		v, _ := metricstest.Value(m)
		sum += v
	}
	return sum, found
}

func TestMetricsScrapedOverHTTP(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	hc := &http.Client{}
	base := s.URL()

	res := do(t, hc, http.MethodPost, base+"/subjects/orders-value/versions", anonymous, map[string]any{"schema": avroV1})
	if res.status != http.StatusOK {
		t.Fatalf("register: %d %s", res.status, res.body)
	}
	var reg struct{ ID int }
	if err := json.Unmarshal(res.body, &reg); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if res := do(t, hc, http.MethodGet, base+"/schemas/ids/"+strconv.Itoa(reg.ID), anonymous, nil); res.status != http.StatusOK {
			t.Fatalf("lookup: %d", res.status)
		}
	}
	res = do(t, hc, http.MethodPost, base+"/compatibility/subjects/orders-value/versions?verbose=true", anonymous,
		map[string]any{"schema": avroV2Incompatible})
	if res.status != http.StatusOK || !bytes.Contains(res.body, []byte(`"is_compatible":false`)) {
		t.Fatalf("compatibility check: %d %s", res.status, res.body)
	}
	if res := do(t, hc, http.MethodPost, base+"/subjects/orders-value/versions", anonymous, map[string]any{"schema": avroV2Incompatible}); res.status != http.StatusConflict {
		t.Fatalf("incompatible registration: %d %s", res.status, res.body)
	}
	do(t, hc, http.MethodGet, base+"/no/such/route", anonymous, nil)

	mfs := scrape(t, base)
	atLeast := []struct {
		name   string
		family string
		labels map[string]string
		min    float64
	}{
		{"RequestsByRouteTemplate", "schemata_http_requests_total", map[string]string{"route": "/schemas/ids/:id", "method": "GET", "code": "200"}, 3},
		{"LatencyHistogram", "schemata_http_request_duration_seconds", map[string]string{"route": "/schemas/ids/:id", "method": "GET"}, 3},
		{"UnmatchedRoutesShareOneLabel", "schemata_http_requests_total", map[string]string{"route": "unmatched", "code": "404"}, 1},
		{"Registrations", "schemata_registrations_total", map[string]string{"outcome": "registered"}, 1},
		{"IncompatibleRegistrations", "schemata_registrations_total", map[string]string{"outcome": "incompatible"}, 1},
		{"IncompatibleChecks", "schemata_compatibility_checks_total", map[string]string{"result": "incompatible"}, 1},
		{"FindingsBySeverity", "schemata_compatibility_findings_total", map[string]string{"severity": "error"}, 2},
		// Three lookups of one id: the first encodes, the others hit.
		{"CacheHits", "schemata_cache_requests_total", map[string]string{"cache": "encoded_responses", "result": "hit"}, 2},
		{"CacheMisses", "schemata_cache_requests_total", map[string]string{"cache": "encoded_responses", "result": "miss"}, 1},
		{"WriterPool", "schemata_db_pool_max_connections", map[string]string{"pool": "write"}, 1},
		{"ReaderPool", "schemata_db_pool_open_connections", map[string]string{"pool": "read"}, 1},
		{"GoRuntime", "go_goroutines", nil, 1},
	}
	for _, tt := range atLeast {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := value(mfs, tt.family, tt.labels)
			if !ok || got < tt.min {
				t.Errorf("%s%v = %v (found %v), want at least %v", tt.family, tt.labels, got, ok, tt.min)
			}
		})
	}
	t.Run("FindingsCarryRuleIDs", func(t *testing.T) {
		for _, m := range mfs["schemata_compatibility_findings_total"].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "rule" && (l.GetValue() == "" || strings.ToUpper(l.GetValue()) != l.GetValue()) {
					t.Errorf("rule label %q is not a rule ID", l.GetValue())
				}
			}
		}
	})
}

// readyz returns the readiness probe's status code.
func readyz(t *testing.T, base string) int {
	t.Helper()
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestReadinessFlipsWhenTheDatabaseGoesAway(t *testing.T) {
	t.Parallel()
	// Each store comes with a way to take its database away.
	tests := []struct {
		name  string
		store func(t *testing.T) (registry.Store, func() error)
	}{
		{"Embedded", func(t *testing.T) (registry.Store, func() error) {
			st, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return st, st.Close
		}},
		{"PostgreSQL", func(t *testing.T) (registry.Store, func() error) {
			pool := pgtest.NewPool(t)
			st, err := postgres.New(context.Background(), pool, postgres.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return st, func() error { pool.Close(); return nil }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, kill := tt.store(t)
			s := servertest.Start(t, servertest.WithStore(st))
			if got := readyz(t, s.URL()); got != http.StatusOK {
				t.Fatalf("/readyz with the database up = %d, want 200", got)
			}
			if err := kill(); err != nil {
				t.Fatal(err)
			}
			if got := readyz(t, s.URL()); got != http.StatusServiceUnavailable {
				t.Errorf("/readyz with the database gone = %d, want 503", got)
			}
			res, err := http.Get(s.URL() + "/livez")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("/livez with the database gone = %d, want 200 (the process is alive)", res.StatusCode)
			}
		})
	}
}

func TestAuditTrail(t *testing.T) {
	t.Parallel()
	authFile := servertest.AuthConfigFile(t, []servertest.User{{Name: "alice", Password: "pw-alice", Grants: []string{"admin:*"}}, {Name: "bob", Password: "pw-bob", Grants: []string{"reader:*"}}}, "")
	auditFile := filepath.Join(t.TempDir(), "audit.log")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: ops.Config{AuthConfigFile: authFile, AuditLog: auditFile}}))
	hc := &http.Client{}
	alice := basic("alice", "pw-alice")
	base := s.URL()

	res := do(t, hc, http.MethodPost, base+"/subjects/orders-value/versions", alice, map[string]any{"schema": avroV1})
	var reg struct{ ID int }
	if err := json.Unmarshal(res.body, &reg); err != nil || reg.ID == 0 {
		t.Fatalf("register: %d %s", res.status, res.body)
	}
	do(t, hc, http.MethodPost, base+"/subjects/orders-value", alice, map[string]any{"schema": avroV1}) // a lookup: not audited
	do(t, hc, http.MethodPost, base+"/subjects/orders-value/versions", basic("bob", "pw-bob"), map[string]any{"schema": avroV1})
	do(t, hc, http.MethodPut, base+"/config/orders-value", alice, map[string]any{"compatibility": "FULL"})
	do(t, hc, http.MethodDelete, base+"/subjects/orders-value/versions/1", alice, nil)
	tok := createdToken(t, do(t, hc, http.MethodPost, base+"/v1/auth/tokens", alice, map[string]any{"name": "ci", "grants": []string{"reader:*"}})).Token

	b, err := os.ReadFile(auditFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(tok)) || bytes.Contains(b, []byte("pw-alice")) {
		t.Fatalf("audit log holds a secret:\n%s", b)
	}
	type rec struct {
		Principal, Action, Subject, Outcome, RequestID, Target string
		Version, ID, Status                                    int
		Time                                                   string
	}
	var recs []rec
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var raw map[string]any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		var r rec
		r.Principal, _ = raw["principal"].(string)
		r.Action, _ = raw["action"].(string)
		r.Subject, _ = raw["subject"].(string)
		r.Outcome, _ = raw["outcome"].(string)
		r.RequestID, _ = raw["request_id"].(string)
		r.Target, _ = raw["target"].(string)
		r.Time, _ = raw["time"].(string)
		if v, ok := raw["version"].(float64); ok {
			r.Version = int(v)
		}
		if v, ok := raw["id"].(float64); ok {
			r.ID = int(v)
		}
		if v, ok := raw["status"].(float64); ok {
			r.Status = int(v)
		}
		recs = append(recs, r)
	}
	want := []rec{
		{Principal: "alice", Action: "schema.register", Subject: "orders-value", Version: 1, ID: reg.ID, Outcome: "success", Status: 200},
		{Principal: "bob", Action: "schema.register", Subject: "orders-value", Outcome: "denied", Status: 403},
		{Principal: "alice", Action: "config.set", Subject: "orders-value", Outcome: "success", Status: 200},
		{Principal: "alice", Action: "version.delete", Subject: "orders-value", Version: 1, Outcome: "success", Status: 200},
		{Principal: "alice", Action: "token.create", Outcome: "success", Status: 201},
	}
	if len(recs) != len(want) {
		t.Fatalf("audit has %d records, want %d:\n%s", len(recs), len(want), b)
	}
	for i, w := range want {
		g := recs[i]
		if g.Principal != w.Principal || g.Action != w.Action || g.Subject != w.Subject || g.Version != w.Version ||
			g.ID != w.ID || g.Outcome != w.Outcome || g.Status != w.Status {
			t.Errorf("record %d = %+v, want %+v", i, g, w)
		}
		if g.RequestID == "" || g.Time == "" {
			t.Errorf("record %d lacks a request id or time: %+v", i, g)
		}
	}
	if recs[4].Target == "" {
		t.Error("token.create record does not name the token id")
	}
}
