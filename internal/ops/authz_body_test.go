package ops_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// The subjects of the body-named cases: one inside the team's prefix
// (payments.*), one outside it.
const (
	subjPayments  = "payments.orders"
	subjInventory = "inventory"
)

// avroItem is the schema of the inventory subject, distinct from avroV1
// so that the two get different ids.
const avroItem = `{"type":"record","name":"Item","namespace":"inv","fields":[{"name":"sku","type":"string"}]}`

// client sends the requests of one test to one registry.
type client struct {
	t     *testing.T
	hc    *http.Client
	base  string
	creds map[string]credential
}

func newClient(t *testing.T, s *servertest.Registry, creds map[string]credential) *client {
	return &client{t: t, hc: &http.Client{}, base: s.URL(), creds: creds}
}

func (c *client) as(p, method, path string, body any) response {
	c.t.Helper()
	return do(c.t, c.hc, method, c.base+path, c.creds[p], body)
}

// admin sends a request as the global admin and fails the test unless it
// succeeds.
func (c *client) admin(method, path string, body any) response {
	c.t.Helper()
	res := c.as(pAdmin, method, path, body)
	if res.status >= 300 {
		c.t.Fatalf("as admin: %s %s: %d %s", method, path, res.status, res.body)
	}
	return res
}

// register registers schema in subject as the global admin and returns
// its id.
func (c *client) register(subject, schema string) int {
	c.t.Helper()
	var out struct{ ID int }
	res := c.admin(http.MethodPost, "/subjects/"+subject+"/versions", map[string]any{"schema": schema})
	if err := json.Unmarshal(res.body, &out); err != nil || out.ID == 0 {
		c.t.Fatalf("register %s: %s", subject, res.body)
	}
	return out.ID
}

func consumerBody(name string, subjects ...string) map[string]any {
	reads := []map[string]any{}
	for _, s := range subjects {
		reads = append(reads, map[string]any{"subject": s, "fields": []string{"id"}})
	}
	return map[string]any{"name": name, "owner": "team", "reads": reads}
}

// consumerReads returns the subjects the consumer reads, as the global
// admin sees them; nil when there is no such consumer.
func (c *client) consumerReads(name string) []string {
	c.t.Helper()
	res := c.as(pAdmin, http.MethodGet, "/v1/consumers/"+name, nil)
	if res.status == http.StatusNotFound {
		return nil
	}
	var out srapi.Consumer
	if err := json.Unmarshal(res.body, &out); err != nil {
		c.t.Fatalf("consumer %s: %d %s", name, res.status, res.body)
	}
	subjects := []string{}
	for _, r := range out.Reads {
		subjects = append(subjects, r.Subject)
	}
	return subjects
}

// deprecation returns a deprecation record as the global admin sees it;
// nil when there is none.
func (c *client) deprecation(id int) *srapi.Deprecation {
	c.t.Helper()
	res := c.as(pAdmin, http.MethodGet, "/v1/deprecations/"+strconv.Itoa(id), nil)
	if res.status == http.StatusNotFound {
		return nil
	}
	var d srapi.Deprecation
	if err := json.Unmarshal(res.body, &d); err != nil {
		c.t.Fatalf("deprecation %d: %d %s", id, res.status, res.body)
	}
	return &d
}

// deprecate records a deprecation as the global admin and returns its id.
func (c *client) deprecate(body map[string]any) int {
	c.t.Helper()
	var d srapi.Deprecation
	if err := json.Unmarshal(c.admin(http.MethodPost, "/v1/deprecations", body).body, &d); err != nil || d.ID == 0 {
		c.t.Fatalf("deprecate %v: %v", body, err)
	}
	return d.ID
}

// bodyCase is a write whose subjects are named in its body or reached
// through the record it changes, which no route-level rule sees.
type bodyCase struct {
	name    string
	allowed map[string]bool
	// prepare sets the state up as the global admin, before principal p
	// tries, and returns p's request.
	prepare func(c *client, p string) (method, path string, body any)
	// took reports, as the global admin sees it, whether p's write took
	// effect.
	took func(c *client, p string) bool
}

func bodyCases() []bodyCase {
	// Both subjects: the caller needs writer on each.
	writeBoth := writeInventory
	consumerCreated := func(prefix string, subjects ...string) bodyCase {
		return bodyCase{
			prepare: func(_ *client, p string) (string, string, any) {
				return http.MethodPost, "/v1/consumers", consumerBody(prefix+p, subjects...)
			},
			took: func(c *client, p string) bool { return c.consumerReads(prefix+p) != nil },
		}
	}
	consumerReplaced := func(prefix, from, to string) bodyCase {
		return bodyCase{
			prepare: func(c *client, p string) (string, string, any) {
				c.admin(http.MethodPut, "/v1/consumers/"+prefix+p, consumerBody(prefix+p, from))
				return http.MethodPut, "/v1/consumers/" + prefix + p, consumerBody(prefix+p, to)
			},
			took: func(c *client, p string) bool { return slices.Equal(c.consumerReads(prefix+p), []string{to}) },
		}
	}
	consumerDeleted := func(prefix string, subjects ...string) bodyCase {
		return bodyCase{
			prepare: func(c *client, p string) (string, string, any) {
				c.admin(http.MethodPut, "/v1/consumers/"+prefix+p, consumerBody(prefix+p, subjects...))
				return http.MethodDelete, "/v1/consumers/" + prefix + p, nil
			},
			took: func(c *client, p string) bool { return c.consumerReads(prefix+p) == nil },
		}
	}
	deprecated := func(subject string) bodyCase {
		return bodyCase{
			prepare: func(_ *client, p string) (string, string, any) {
				return http.MethodPost, "/v1/deprecations", map[string]any{"subject": subject, "path": "id", "reason": "by " + p}
			},
			took: func(c *client, p string) bool {
				var ds []srapi.Deprecation
				_ = json.Unmarshal(c.admin(http.MethodGet, "/v1/deprecations?subject="+subject, nil).body, &ds)
				return slices.ContainsFunc(ds, func(d srapi.Deprecation) bool { return d.Reason == "by "+p })
			},
		}
	}
	var ids = map[string]int{}
	updated := func(subject, bodySubject string) bodyCase {
		return bodyCase{
			prepare: func(c *client, p string) (string, string, any) {
				id := c.deprecate(map[string]any{"subject": subject, "version": 1, "reason": "setup"})
				ids[subject] = id
				return http.MethodPut, "/v1/deprecations/" + strconv.Itoa(id), map[string]any{"subject": bodySubject, "reason": "by " + p}
			},
			took: func(c *client, p string) bool {
				d := c.deprecation(ids[subject])
				return d != nil && d.Reason == "by "+p
			},
		}
	}
	deleted := func(subject string) bodyCase {
		return bodyCase{
			prepare: func(c *client, p string) (string, string, any) {
				ids[subject] = c.deprecate(map[string]any{"subject": subject, "reason": "setup"})
				return http.MethodDelete, "/v1/deprecations/" + strconv.Itoa(ids[subject]), nil
			},
			took: func(c *client, p string) bool { return c.deprecation(ids[subject]) == nil },
		}
	}
	named := func(name string, allowed map[string]bool, bc bodyCase) bodyCase {
		bc.name, bc.allowed = name, allowed
		return bc
	}
	return []bodyCase{
		named("CreateConsumerOfPayments", writePayments, consumerCreated("cp-", subjPayments)),
		named("CreateConsumerOfInventory", writeInventory, consumerCreated("ci-", subjInventory)),
		named("CreateConsumerOfBoth", writeBoth, consumerCreated("cb-", subjPayments, subjInventory)),
		named("ReplaceConsumerOfPaymentsWithOneOfPayments", writePayments, consumerReplaced("rpp-", subjPayments, subjPayments+"x")),
		named("ReplaceConsumerOfInventoryWithOneOfPayments", writeBoth, consumerReplaced("rip-", subjInventory, subjPayments)),
		named("ReplaceConsumerOfPaymentsWithOneOfInventory", writeBoth, consumerReplaced("rpi-", subjPayments, subjInventory)),
		named("DeleteConsumerOfPayments", writePayments, consumerDeleted("dp-", subjPayments)),
		named("DeleteConsumerOfInventory", writeInventory, consumerDeleted("di-", subjInventory)),
		named("DeleteConsumerOfBoth", writeBoth, consumerDeleted("db-", subjInventory, subjPayments)),
		named("DeprecatePayments", writePayments, deprecated(subjPayments)),
		named("DeprecateInventory", writeInventory, deprecated(subjInventory)),
		named("UpdateDeprecationOfPayments", writePayments, updated(subjPayments, subjPayments)),
		named("UpdateDeprecationOfInventory", writeInventory, updated(subjInventory, subjInventory)),
		// The body names the caller's own subject; the record is not.
		named("UpdateDeprecationOfInventoryNamingPayments", writeInventory, updated(subjInventory, subjPayments)),
		named("DeleteDeprecationOfPayments", writePayments, deleted(subjPayments)),
		named("DeleteDeprecationOfInventory", writeInventory, deleted(subjInventory)),
	}
}

// TestBodyNamedSubjects extends the route table (TestEveryRouteWithEveryRole)
// to the subjects a write names in its body or reaches through the record
// it changes: every principal tries each write, and the write must take
// effect exactly when the principal may write every subject concerned.
func TestBodyNamedSubjects(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	c := newClient(t, s, creds)
	c.register(subjPayments, avroV1)
	c.register(subjPayments+"x", avroV1)
	c.register(subjInventory, avroV1)

	for _, bc := range bodyCases() {
		t.Run(bc.name, func(t *testing.T) {
			c := newClient(t, s, creds)
			for _, p := range allPrincipals {
				method, path, body := bc.prepare(c, p)
				res := c.as(p, method, path, body)
				took := bc.took(c, p)
				switch {
				case bc.allowed[p] && (res.status >= 300 || !took):
					t.Errorf("%s: %s %s = %d %s (took effect: %v), want it done", p, method, path, res.status, res.body, took)
				case !bc.allowed[p] && took:
					t.Errorf("%s: %s %s = %d %s and took effect, want it refused", p, method, path, res.status, res.body)
				case !bc.allowed[p] && res.status != http.StatusUnauthorized && res.status != http.StatusForbidden && res.status != http.StatusNotFound:
					t.Errorf("%s: %s %s = %d %s, want 401, 403 or 404", p, method, path, res.status, res.body)
				}
			}
		})
	}
}

// errorBody decodes a Confluent error answer.
func errorBody(t *testing.T, res response) srapi.ErrorBody {
	t.Helper()
	var e srapi.ErrorBody
	if err := json.Unmarshal(res.body, &e); err != nil || e.ErrorCode == 0 {
		t.Fatalf("want an error body, got %d %s", res.status, res.body)
	}
	return e
}

func TestReferencesNeedReadOnTheReferencedSubject(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	c := newClient(t, s, creds)
	c.register(subjInventory, avroItem)

	withRef := func(subject string) map[string]any {
		return map[string]any{
			"schema":     `{"type":"record","name":"Line","namespace":"pay","fields":[{"name":"item","type":"inv.Item"}]}`,
			"references": []map[string]any{{"name": "inv.Item", "subject": subject, "version": 1}},
		}
	}
	for _, route := range []string{"/subjects/payments.lines/versions", "/compatibility/subjects/payments.lines/versions"} {
		t.Run(strings.ReplaceAll(route, "/", "_"), func(t *testing.T) {
			// The token writes payments.* and reads nothing else.
			forbidden := c.as(pToken, http.MethodPost, route, withRef(subjInventory))
			missing := c.as(pToken, http.MethodPost, route, withRef("inventory-missing"))
			if forbidden.status != http.StatusUnprocessableEntity {
				t.Fatalf("a reference to an unreadable subject: %d %s, want 422", forbidden.status, forbidden.body)
			}
			// Missing or forbidden, the answer is the same but for the
			// name the caller gave.
			fe, me := errorBody(t, forbidden), errorBody(t, missing)
			if forbidden.status != missing.status || fe.ErrorCode != me.ErrorCode ||
				strings.ReplaceAll(fe.Message, subjInventory, "X") != strings.ReplaceAll(me.Message, "inventory-missing", "X") {
				t.Errorf("forbidden reference answers %d %s; missing one %d %s: they must not differ", forbidden.status, forbidden.body, missing.status, missing.body)
			}
			// The team reads every subject: the same reference resolves.
			if res := c.as(pTeam, http.MethodPost, route, withRef(subjInventory)); res.status != http.StatusOK {
				t.Errorf("a reader of %s: %d %s, want 200", subjInventory, res.status, res.body)
			}
			// Once the parse is cached, the token is still refused.
			if res := c.as(pToken, http.MethodPost, route, withRef(subjInventory)); res.status != http.StatusUnprocessableEntity {
				t.Errorf("after a reader's request: %d %s, want 422", res.status, res.body)
			}
		})
	}
}

func TestImportAndExplicitIDsNeedAGlobalAdmin(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	c := newClient(t, s, creds)

	for _, p := range []string{pTeamAdmin, pToken} {
		if res := c.as(p, http.MethodPut, "/mode/payments.imported?force=true", map[string]any{"mode": "IMPORT"}); res.status != http.StatusForbidden {
			t.Errorf("%s sets IMPORT on its own subject: %d %s, want 403", p, res.status, res.body)
		}
	}
	// The team admin may change the mode otherwise.
	if res := c.as(pTeamAdmin, http.MethodPut, "/mode/payments.imported", map[string]any{"mode": "READONLY"}); res.status != http.StatusOK {
		t.Errorf("team admin sets READONLY: %d %s, want 200", res.status, res.body)
	}
	c.admin(http.MethodPut, "/mode/payments.imported?force=true", map[string]any{"mode": "IMPORT"})

	explicit := map[string]any{"schema": avroV1, "id": 4242}
	if res := c.as(pTeamAdmin, http.MethodPost, "/subjects/payments.imported/versions", explicit); res.status != http.StatusForbidden {
		t.Errorf("team admin registers id 4242: %d %s, want 403", res.status, res.body)
	}
	if res := c.as(pAdmin, http.MethodGet, "/schemas/ids/4242", nil); res.status != http.StatusNotFound {
		t.Fatalf("id 4242 after a refused import: %d %s, want 404", res.status, res.body)
	}
	res := c.admin(http.MethodPost, "/subjects/payments.imported/versions", explicit)
	if !strings.Contains(string(res.body), `"id":4242`) {
		t.Errorf("global admin registers id 4242: %s", res.body)
	}
}

// listing decodes a JSON answer as a list of v.
func listing[T any](t *testing.T, res response) []T {
	t.Helper()
	var out []T
	if res.status != http.StatusOK {
		t.Fatalf("want 200, got %d %s", res.status, res.body)
	}
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	return out
}

// pluck maps each item with f.
func pluck[T, V any](items []T, f func(T) V) []V {
	var out []V
	for _, it := range items {
		out = append(out, f(it))
	}
	return out
}

func TestReadersSeeOnlyTheirSubjects(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	c := newClient(t, s, creds)
	paymentsID := c.register(subjPayments, avroV1)
	inventoryID := c.register(subjInventory, avroItem)
	c.register("inventory-shared", `"string"`)
	sharedID := c.register("payments.shared", `"string"`)
	// Another team's schema referencing the team's subject.
	var ref struct{ ID int }
	_ = json.Unmarshal(c.admin(http.MethodPost, "/subjects/inventory-ref/versions", map[string]any{
		"schema":     `{"type":"record","name":"Stock","fields":[{"name":"o","type":"Order"}]}`,
		"references": []map[string]any{{"name": "Order", "subject": subjPayments, "version": 1}},
	}).body, &ref)
	c.admin(http.MethodPut, "/v1/consumers/c-inv", consumerBody("c-inv", subjInventory))
	c.admin(http.MethodPut, "/v1/consumers/c-both", consumerBody("c-both", subjInventory, subjPayments))
	c.admin(http.MethodPut, "/v1/consumers/c-pay", consumerBody("c-pay", subjPayments))
	invRecord := c.deprecate(map[string]any{"subject": subjInventory, "reason": "gone"})
	payRecord := c.deprecate(map[string]any{"subject": subjPayments, "version": 1, "reason": "old"})

	type view struct {
		subjects, consumers []string
		records             []int
		reportSubjects      []string
		// shared are the subjects of the id two subjects use.
		shared []string
		// referrers are the ids referencing the team's subject.
		referrers []int
	}
	everything := view{
		subjects:       []string{subjInventory, "inventory-ref", "inventory-shared", subjPayments, "payments.shared"},
		consumers:      []string{"c-both", "c-inv", "c-pay"},
		records:        []int{invRecord, payRecord},
		reportSubjects: []string{subjInventory, subjPayments},
		shared:         []string{"inventory-shared", "payments.shared"},
		referrers:      []int{ref.ID},
	}
	team := view{
		subjects:       []string{subjPayments, "payments.shared"},
		consumers:      []string{"c-both", "c-pay"},
		records:        []int{payRecord},
		reportSubjects: []string{subjPayments},
		shared:         []string{"payments.shared"},
		referrers:      []int{},
	}
	for p, want := range map[string]view{pReader: everything, pToken: team, pTeamAdmin: team} {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			if got := listing[string](t, c.as(p, http.MethodGet, "/subjects", nil)); !slices.Equal(got, want.subjects) {
				t.Errorf("/subjects = %v, want %v", got, want.subjects)
			}
			fromSchemas := pluck(listing[srapi.SubjectVersion](t, c.as(p, http.MethodGet, "/schemas", nil)), func(sv srapi.SubjectVersion) string { return sv.Subject })
			if !slices.Equal(fromSchemas, want.subjects) {
				t.Errorf("/schemas lists %v, want %v", fromSchemas, want.subjects)
			}
			if got := listing[string](t, c.as(p, http.MethodGet, "/subjects?subjectPrefix=inv", nil)); len(got) != 0 && p != pReader {
				t.Errorf("/subjects?subjectPrefix=inv = %v, want none", got)
			}
			var names []string
			for _, cons := range listing[srapi.Consumer](t, c.as(p, http.MethodGet, "/v1/consumers", nil)) {
				names = append(names, cons.Name)
				for _, r := range cons.Reads {
					if !slices.Contains(want.subjects, r.Subject) {
						t.Errorf("consumer %s shows its read of %s", cons.Name, r.Subject)
					}
				}
			}
			if !slices.Equal(names, want.consumers) {
				t.Errorf("/v1/consumers = %v, want %v", names, want.consumers)
			}
			records := pluck(listing[srapi.Deprecation](t, c.as(p, http.MethodGet, "/v1/deprecations", nil)), func(d srapi.Deprecation) int { return d.ID })
			if !slices.Equal(records, want.records) {
				t.Errorf("/v1/deprecations = %v, want %v", records, want.records)
			}
			var rep srapi.DeprecationReport
			_ = json.Unmarshal(c.as(p, http.MethodGet, "/v1/reports/deprecations", nil).body, &rep)
			var reported []string
			for _, it := range rep.Items {
				if !slices.Contains(reported, it.Subject) {
					reported = append(reported, it.Subject)
				}
			}
			if !slices.Equal(reported, want.reportSubjects) {
				t.Errorf("the report covers %v, want %v", reported, want.reportSubjects)
			}

			// By id: visible through a readable subject, else as absent.
			for _, suffix := range []string{"", "/schema", "/subjects", "/versions"} {
				if res := c.as(p, http.MethodGet, fmt.Sprintf("/schemas/ids/%d%s", paymentsID, suffix), nil); res.status != http.StatusOK {
					t.Errorf("id %d%s: %d %s, want 200", paymentsID, suffix, res.status, res.body)
				}
				res := c.as(p, http.MethodGet, fmt.Sprintf("/schemas/ids/%d%s", inventoryID, suffix), nil)
				absent := c.as(p, http.MethodGet, fmt.Sprintf("/schemas/ids/%d%s", 999999, suffix), nil)
				hidden := !slices.Contains(want.subjects, subjInventory)
				switch {
				case hidden && (res.status != absent.status || errorBody(t, res).ErrorCode != errorBody(t, absent).ErrorCode):
					t.Errorf("hidden id %d%s: %d %s; absent id: %d %s", inventoryID, suffix, res.status, res.body, absent.status, absent.body)
				case !hidden && res.status != http.StatusOK:
					t.Errorf("id %d%s: %d %s, want 200", inventoryID, suffix, res.status, res.body)
				}
			}
			if got := listing[string](t, c.as(p, http.MethodGet, fmt.Sprintf("/schemas/ids/%d/subjects", sharedID), nil)); !slices.Equal(got, want.shared) {
				t.Errorf("subjects of the shared id %d: %v, want %v", sharedID, got, want.shared)
			}
			if got := listing[int](t, c.as(p, http.MethodGet, "/subjects/"+subjPayments+"/versions/1/referencedby", nil)); !slices.Equal(got, want.referrers) {
				t.Errorf("referrers of %s: %v, want %v", subjPayments, got, want.referrers)
			}
			byInventory := pluck(listing[srapi.Consumer](t, c.as(p, http.MethodGet, "/v1/consumers?subject="+subjInventory, nil)), func(c srapi.Consumer) string { return c.Name })
			if wantBy := []string{"c-both", "c-inv"}; (p == pReader) != slices.Equal(byInventory, wantBy) || p != pReader && len(byInventory) > 0 {
				t.Errorf("/v1/consumers?subject=%s = %v", subjInventory, byInventory)
			}
			if res := c.as(p, http.MethodGet, "/v1/consumers/c-inv", nil); (res.status == http.StatusOK) != (p == pReader) {
				t.Errorf("/v1/consumers/c-inv: %d %s", res.status, res.body)
			}
			if res := c.as(p, http.MethodGet, "/v1/deprecations/"+strconv.Itoa(invRecord), nil); (res.status == http.StatusOK) != (p == pReader) {
				t.Errorf("/v1/deprecations/%d: %d %s", invRecord, res.status, res.body)
			}

			// The UI shows the same: no name of a hidden subject or of a
			// consumer reading only hidden subjects, no count of them.
			for page, name := range map[string]string{"/ui/subjects": subjInventory, "/ui/deprecations": subjInventory, "/ui/consumers": "c-inv"} {
				body := string(c.as(p, http.MethodGet, page, nil).body)
				if strings.Contains(body, name) != (p == pReader) {
					t.Errorf("%s shows %q: %v, want %v", page, name, strings.Contains(body, name), p == pReader)
				}
				if strings.Contains(body, "you may not read") {
					t.Errorf("%s tells how much is hidden", page)
				}
			}
		})
	}
}

func TestUsageIsRecordedUnderThePrincipal(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{}, servertest.WithBackend(servertest.SQLite))
	c := newClient(t, s, creds)
	id := c.register(subjPayments, avroV1)

	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/schemas/ids/%d", s.URL(), id), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Client-Id", "someone-else")
	creds[pTeam](req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("lookup: %d", res.StatusCode)
	}
	// Shutting down flushes the usage recorded in memory.
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Store.(registry.ConsumerStore).UsageList(context.Background(), registry.UsageListParams{SchemaIDs: []int{id}})
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, u := range rows {
		who = append(who, u.Identity)
	}
	if !slices.Equal(who, []string{"principal:" + pTeam}) {
		t.Errorf("usage of id %d recorded under %v, want only principal:%s", id, who, pTeam)
	}
}

func TestAuditNamesTheSubjectsOfEveryWrite(t *testing.T) {
	t.Parallel()
	trail := filepath.Join(t.TempDir(), "audit.log")
	cfg := server.Config{}
	cfg.Ops.AuditLog = trail
	s, creds := startWithPrincipals(t, cfg)
	c := newClient(t, s, creds)
	c.register(subjPayments, avroV1)
	c.register("payments.shared", avroV1)
	c.register(subjInventory, avroV1)

	var dep srapi.Deprecation
	steps := []struct {
		p            string
		method, path string
		body         any
	}{
		{pTeam, http.MethodPost, "/v1/consumers", consumerBody("etl", subjPayments)},
		{pTeam, http.MethodPut, "/v1/consumers/etl", consumerBody("etl", "payments.shared")},
		{pTeam, http.MethodDelete, "/v1/consumers/etl", nil},
		{pToken, http.MethodPost, "/v1/consumers", consumerBody("sneaky", subjInventory)},
		{pTeam, http.MethodPost, "/v1/deprecations", map[string]any{"subject": subjPayments, "path": "id"}},
		{pTeamAdmin, http.MethodPut, "/config/" + subjPayments, map[string]any{"compatibility": "FULL"}},
	}
	for _, st := range steps {
		res := c.as(st.p, st.method, st.path, st.body)
		if st.path == "/v1/deprecations" {
			_ = json.Unmarshal(res.body, &dep)
		}
	}
	id := strconv.Itoa(dep.ID)
	c.as(pTeam, http.MethodPut, "/v1/deprecations/"+id, map[string]any{"reason": "r"})
	c.as(pToken, http.MethodDelete, "/v1/deprecations/"+id, nil)

	type rec struct {
		Action, Subject, Target, Outcome string
		Subjects                         []string
	}
	want := []rec{
		{"consumer.create", subjPayments, "etl", "success", []string{subjPayments}},
		{"consumer.set", "", "etl", "success", []string{subjPayments, "payments.shared"}},
		{"consumer.delete", "payments.shared", "etl", "success", []string{"payments.shared"}},
		{"consumer.create", subjInventory, "sneaky", "denied", []string{subjInventory}},
		{"deprecation.set", subjPayments, id, "success", nil},
		{"config.set", subjPayments, "", "success", nil},
		{"deprecation.update", subjPayments, id, "success", nil},
		{"deprecation.delete", subjPayments, id, "success", nil},
	}
	f, err := os.Open(trail)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []rec
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r rec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit line %s: %v", sc.Bytes(), err)
		}
		if strings.HasPrefix(r.Action, "consumer.") || strings.HasPrefix(r.Action, "deprecation.") || r.Action == "config.set" {
			got = append(got, r)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("audit records:\n%+v\nwant\n%+v", got, want)
	}
	for i := range want {
		if got[i].Action != want[i].Action || got[i].Subject != want[i].Subject || got[i].Target != want[i].Target ||
			got[i].Outcome != want[i].Outcome || !slices.Equal(got[i].Subjects, want[i].Subjects) {
			t.Errorf("audit record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestAliasesReachOnlyWhatTheCallerMay sets, as an admin of payments.*, an
// alias from a payments subject to the inventory subject: the route's
// authorization sees the alias, so the target must be checked too, or a
// team could read and write another team's subject through it.
func TestAliasesReachOnlyWhatTheCallerMay(t *testing.T) {
	t.Parallel()
	s, creds := startWithPrincipals(t, server.Config{})
	c := newClient(t, s, creds)
	c.register(subjInventory, avroItem)
	if res := c.as(pTeamAdmin, http.MethodPut, "/config/payments.alias", map[string]any{"alias": subjInventory}); res.status != http.StatusOK {
		t.Fatalf("alias set by the team's admin: %d %s", res.status, res.body)
	}
	next := map[string]any{"schema": `{"type":"record","name":"Item","namespace":"inv","fields":[{"name":"sku","type":"string"},{"name":"note","type":"string","default":""}]}`}
	tests := []struct {
		principal, method, path string
		body                    any
		want                    int
	}{
		{pTeamAdmin, http.MethodGet, "/subjects/payments.alias/versions", nil, http.StatusForbidden},
		{pTeamAdmin, http.MethodGet, "/subjects/payments.alias/versions/1", nil, http.StatusForbidden},
		{pToken, http.MethodPost, "/subjects/payments.alias/versions", next, http.StatusForbidden},
		{pToken, http.MethodPost, "/compatibility/subjects/payments.alias/versions", next, http.StatusForbidden},
		{pTeam, http.MethodPost, "/subjects/payments.alias/versions", next, http.StatusForbidden},
		// Readers of the target read through the alias; writers of both
		// write through it.
		{pTeam, http.MethodGet, "/subjects/payments.alias/versions", nil, http.StatusOK},
		{pTeam, http.MethodPost, "/subjects/payments.alias", map[string]any{"schema": avroItem}, http.StatusOK},
		{pWriter, http.MethodPost, "/subjects/payments.alias/versions", next, http.StatusOK},
	}
	for _, tt := range tests {
		if res := c.as(tt.principal, tt.method, tt.path, tt.body); res.status != tt.want {
			t.Errorf("%s: %s %s: %d %s, want %d", tt.principal, tt.method, tt.path, res.status, res.body, tt.want)
		}
	}
	// Only the global writer's registration reached the target.
	var versions []int
	if err := json.Unmarshal(c.admin(http.MethodGet, "/subjects/"+subjInventory+"/versions", nil).body, &versions); err != nil || len(versions) != 2 {
		t.Errorf("inventory versions: %v (%v), want [1 2]", versions, err)
	}
}
