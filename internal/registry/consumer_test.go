package registry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/clocktest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
	"github.com/schemata-dev/schemata/storage/sqlite"
)

// newClock is the consumer tests' clock, at their starting time.
func newClock() *clocktest.Clock { return clocktest.New(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)) }

// consumerService returns a Service on a fresh embedded store with
// Confluent's plain defaults and an injected clock.
func consumerService(t *testing.T) (*registry.Service, *clocktest.Clock) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), t.TempDir(), sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := newClock()
	svc := registry.New(st, registry.Options{
		Defaults: registry.ConfluentDefaultConfig(), Now: clk.Now, Logger: slog.New(slog.DiscardHandler),
	})
	watch(t, svc)
	return svc, clk
}

// watch keeps svc's caches following committed changes, as the server
// does, until the test ends.
func watch(t *testing.T, svc *registry.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.Watch(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually retries cond until it holds or a second has passed: changes
// reach the caches asynchronously, through Watch.
func eventually(t *testing.T, cond func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

func fieldConsumer(name, subject string, fields ...string) registry.Consumer {
	return registry.Consumer{
		Name: name, Owner: "team-" + name,
		Reads: []registry.ConsumerRead{{Subject: subject, Fields: fields}},
	}
}

func ruleIDs(fs []compat.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+"/"+string(f.Severity)+"/"+f.Consumer)
	}
	return out
}

func TestPutConsumerIsIdempotent(t *testing.T) {
	t.Parallel()
	svc, clk := consumerService(t)
	ctx := t.Context()
	c := fieldConsumer("orders-etl", "orders-value", "note", "id")
	c.Labels = map[string]string{"env": "prod"}

	first, err := svc.PutConsumer(ctx, c)
	if err != nil {
		t.Fatalf("PutConsumer: %v", err)
	}
	if !first.Created || !first.Changed {
		t.Errorf("first PutConsumer = %+v, want created and changed", first)
	}
	clk.Advance(time.Hour)
	again, err := svc.PutConsumer(ctx, c)
	if err != nil {
		t.Fatalf("second PutConsumer: %v", err)
	}
	if again.Created || again.Changed || !again.Consumer.UpdatedAt.Equal(first.Consumer.UpdatedAt) {
		t.Errorf("second PutConsumer = %+v, want nothing changed", again)
	}
	if _, err := svc.CreateConsumer(ctx, c); err != nil {
		t.Errorf("CreateConsumer of an identical consumer: %v, want success", err)
	}
	c.Owner = "someone-else"
	_, err = svc.CreateConsumer(ctx, c)
	wantCode(t, err, srapi.CodeConsumerExists)
	changed, err := svc.PutConsumer(ctx, c)
	if err != nil || !changed.Changed || changed.Created || !changed.Consumer.CreatedAt.Equal(first.Consumer.CreatedAt) {
		t.Errorf("PutConsumer with a new owner = %+v, %v; want changed, original creation time kept", changed, err)
	}
}

func TestPutConsumerRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	svc, _ := consumerService(t)
	tests := []struct {
		name string
		c    registry.Consumer
		code srapi.Code
	}{
		{"BadName", fieldConsumer("no spaces", "s", "a"), srapi.CodeInvalidConsumer},
		{"NoOwner", registry.Consumer{Name: "x", Reads: []registry.ConsumerRead{{Subject: "s", Fields: []string{"a"}}}}, srapi.CodeInvalidConsumer},
		{"NeitherReaderNorFields", registry.Consumer{Name: "x", Owner: "o", Reads: []registry.ConsumerRead{{Subject: "s"}}}, srapi.CodeInvalidConsumer},
		{"SubjectTwice", registry.Consumer{Name: "x", Owner: "o", Reads: []registry.ConsumerRead{{Subject: "s", Fields: []string{"a"}}, {Subject: "s", Fields: []string{"b"}}}}, srapi.CodeInvalidConsumer},
		{"NegativeBackfill", registry.Consumer{Name: "x", Owner: "o", Reads: []registry.ConsumerRead{{Subject: "s", Fields: []string{"a"}, Backfill: -time.Hour}}}, srapi.CodeInvalidConsumer},
		{"InvalidReaderSchema", registry.Consumer{Name: "x", Owner: "o", Reads: []registry.ConsumerRead{{Subject: "s", Format: schema.Avro, ReaderSchema: `{"type":"record"`}}}, srapi.CodeInvalidSchema},
		{"UnknownProtobufMessage", registry.Consumer{Name: "x", Owner: "o", Reads: []registry.ConsumerRead{{Subject: "s", Format: schema.Protobuf, ReaderSchema: `syntax = "proto3"; message A { int32 a = 1; }`, Message: "B"}}}, srapi.CodeInvalidConsumer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := svc.PutConsumer(t.Context(), tc.c)
			wantCode(t, err, tc.code)
		})
	}
}

func TestConsumerDeleteAndNotFound(t *testing.T) {
	t.Parallel()
	svc, _ := consumerService(t)
	ctx := t.Context()
	if _, err := svc.PutConsumer(ctx, fieldConsumer("c", "s", "a")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeleteConsumer(ctx, "c"); err != nil {
		t.Fatalf("DeleteConsumer: %v", err)
	}
	_, err := svc.Consumer(ctx, "c")
	wantCode(t, err, srapi.CodeConsumerNotFound)
	_, err = svc.DeleteConsumer(ctx, "c")
	wantCode(t, err, srapi.CodeConsumerNotFound)
}

const protoV1 = `syntax = "proto3";
package shop.v1;
message Order {
  int64 id = 1;
  string note = 2;
  Customer customer = 3;
}
message Customer { string email = 1; }
`

func protoInput(text string) registry.SchemaInput {
	return registry.SchemaInput{Format: schema.Protobuf, Text: text}
}

func TestConsumerAwareChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		v1, v2   registry.SchemaInput
		consumer registry.Consumer
		breakage string
		want     []string
	}{
		{
			name:     "AvroFieldRemovedBreaksFieldConsumer",
			v1:       avroRecord(fieldID, fieldNote),
			v2:       avroRecord(fieldID),
			consumer: fieldConsumer("etl", "subj", "note"),
			want:     []string{"CONSUMER_FIELD_MISSING/error/etl"},
		},
		{
			name:     "AvroFieldRetypedBreaksFieldConsumer",
			v1:       avroRecord(fieldID, fieldNote),
			v2:       avroRecord(fieldID, `{"name":"note","type":"int","default":0}`),
			consumer: fieldConsumer("etl", "subj", "Order.note"),
			want:     []string{"CONSUMER_FIELD_TYPE_CHANGED/error/etl"},
		},
		{
			name:     "AvroPromotionIsReadable",
			v1:       avroRecord(`{"name":"qty","type":"long"}`),
			v2:       avroRecord(`{"name":"qty","type":"int"}`),
			consumer: fieldConsumer("etl", "subj", "qty"),
		},
		{
			name:     "AvroUnusedFieldRemovedIsFine",
			v1:       avroRecord(fieldID, fieldNote),
			v2:       avroRecord(fieldID),
			consumer: fieldConsumer("etl", "subj", "id"),
		},
		{
			name:     "WarnModeDowngradesToWarnings",
			v1:       avroRecord(fieldID, fieldNote),
			v2:       avroRecord(fieldID),
			consumer: fieldConsumer("etl", "subj", "note"),
			breakage: registry.ConsumerBreakageWarn,
			want:     []string{"CONSUMER_FIELD_MISSING/warning/etl"},
		},
		{
			name: "ProtobufFieldPathThroughMessage",
			v1:   protoInput(protoV1),
			v2:   protoInput(`syntax = "proto3"; package shop.v1; message Order { int64 id = 1; string note = 2; Customer customer = 3; } message Customer { bytes mail = 1; }`),
			consumer: registry.Consumer{Name: "crm", Owner: "crm-team", Reads: []registry.ConsumerRead{{
				Subject: "subj", Message: "shop.v1.Order", Fields: []string{"customer.email"},
			}}},
			want: []string{"CONSUMER_FIELD_MISSING/error/crm"},
		},
		{
			name: "ProtobufReaderRenumbered",
			v1:   protoInput(protoV1),
			v2:   protoInput(`syntax = "proto3"; package shop.v1; message Order { int64 id = 1; string note = 4; Customer customer = 3; } message Customer { string email = 1; }`),
			consumer: registry.Consumer{Name: "crm", Owner: "crm-team", Reads: []registry.ConsumerRead{{
				Subject: "subj", Format: schema.Protobuf, Message: "shop.v1.Order",
				ReaderSchema: `syntax = "proto3"; package shop.v1; message Order { int64 id = 1; string note = 2; }`,
			}}},
			want: []string{"CONSUMER_FIELD_NUMBER_CHANGED/error/crm"},
		},
		{
			name: "ProtobufReaderTypeChangedAcrossWireGroups",
			v1:   protoInput(protoV1),
			v2:   protoInput(`syntax = "proto3"; package shop.v1; message Order { sint64 id = 1; string note = 2; Customer customer = 3; } message Customer { string email = 1; }`),
			consumer: registry.Consumer{Name: "crm", Owner: "crm-team", Reads: []registry.ConsumerRead{{
				Subject: "subj", Format: schema.Protobuf,
				ReaderSchema: `syntax = "proto3"; package shop.v1; message Order { int64 id = 1; }`,
			}}},
			want: []string{"CONSUMER_FIELD_TYPE_CHANGED/error/crm"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svc, _ := consumerService(t)
			ctx := t.Context()
			register(t, svc, "subj", tc.v1)
			if _, err := svc.SetConfig(ctx, "subj", registry.Config{Compatibility: ptr(compat.None)}); err != nil {
				t.Fatal(err)
			}
			if tc.breakage != "" {
				if _, err := svc.SetConfig(ctx, "subj", registry.Config{ConsumerBreakage: &tc.breakage}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := svc.PutConsumer(ctx, tc.consumer); err != nil {
				t.Fatalf("PutConsumer: %v", err)
			}
			res, err := svc.CheckCompatibility(ctx, registry.CompatibilityParams{Subject: "subj", Schema: tc.v2})
			if err != nil {
				t.Fatalf("CheckCompatibility: %v", err)
			}
			if got := ruleIDs(res.Findings); !slices.Equal(got, tc.want) {
				t.Fatalf("findings = %v, want %v\n%v", got, tc.want, res.Messages())
			}
			for _, f := range res.Findings {
				if owner := tc.consumer.Owner; !containsString(f.Message, owner) {
					t.Errorf("finding %q does not name the owner %s", f.Message, owner)
				}
			}
			_, err = svc.Register(ctx, registry.RegisterParams{Subject: "subj", Schema: tc.v2})
			if res.Compatible() != (err == nil) {
				t.Errorf("Register error = %v, but the check said compatible=%v", err, res.Compatible())
			}
		})
	}
}

func containsString(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || containsString(s[1:], sub))
}

func ptr[T any](v T) *T { return &v }

func TestDeprecationRecordsAndHeaderIndex(t *testing.T) {
	t.Parallel()
	svc, clk := consumerService(t)
	ctx := t.Context()
	v1 := register(t, svc, "orders", avroRecord(fieldID, fieldNote))
	other := register(t, svc, "payments", avroRecord(fieldID, fieldPrice))

	if d, err := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: v1.SchemaID}); err != nil || d != nil {
		t.Fatalf("SchemaDeprecation before any record = %v, %v; want none", d, err)
	}
	_, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Path: "missing"}, registry.DeprecateOptions{})
	wantCode(t, err, srapi.CodeInvalidDeprecation)
	_, err = svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "nothing"}, registry.DeprecateOptions{})
	wantCode(t, err, srapi.CodeSubjectNotFound)

	field, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Path: "note", Reason: "unused"}, registry.DeprecateOptions{})
	if err != nil || !field.Created || field.Record.Path != "Order.note" {
		t.Fatalf("Deprecate(field) = %+v, %v; want created with canonical path Order.note", field, err)
	}
	clk.Advance(time.Hour)
	again, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Path: "Order.note", Reason: "use comment"}, registry.DeprecateOptions{})
	if err != nil || again.Created || again.Record.ID != field.Record.ID || !again.Record.CreatedAt.Equal(field.Record.CreatedAt) || again.Record.Reason != "use comment" {
		t.Fatalf("Deprecate again = %+v, %v; want the same record updated, date kept", again, err)
	}
	// A field record does not deprecate the schema as a whole.
	if d, _ := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: v1.SchemaID}); d != nil {
		t.Errorf("field deprecation produced a schema-level deprecation %+v", d)
	}

	sunset := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	subj, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "orders", Sunset: sunset}, registry.DeprecateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: v1.SchemaID}); err != nil || d == nil || d.ID != subj.Record.ID {
		t.Fatalf("SchemaDeprecation(v1) = %v, %v; want the subject record", d, err)
	}
	if d, _ := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: other.SchemaID}); d != nil {
		t.Errorf("SchemaDeprecation of another subject's schema = %+v, want none", d)
	}
	if d, _ := svc.SchemaDeprecation(ctx, registry.SchemaKey{Context: ".ctx", ID: v1.SchemaID}); d != nil {
		t.Errorf("SchemaDeprecation of the same id in another context = %+v, want none", d)
	}
	// A version registered later in a deprecated subject is deprecated too.
	v2 := register(t, svc, "orders", avroRecord(fieldID, fieldNote, `{"name":"comment","type":"string","default":""}`))
	if !eventually(t, func() bool { d, _ := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: v2.SchemaID}); return d != nil }) {
		t.Errorf("SchemaDeprecation(v2) = nil, want the subject record")
	}
	if d, _ := svc.VersionDeprecation(ctx, "orders", registry.LatestVersion); d == nil || !d.Sunset.Equal(sunset) {
		t.Errorf("VersionDeprecation(latest) = %+v, want the subject record with its sunset", d)
	}
	if _, err := svc.DeleteDeprecation(ctx, subj.Record.ID); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.SchemaDeprecation(ctx, registry.SchemaKey{ID: v1.SchemaID}); d != nil {
		t.Errorf("SchemaDeprecation after the record was deleted = %+v, want none", d)
	}

	ver, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "payments", Version: 1}, registry.DeprecateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.VersionDeprecation(ctx, "payments", 1); d == nil || d.ID != ver.Record.ID {
		t.Errorf("VersionDeprecation(payments, 1) = %+v, want the version record", d)
	}
	if d, _ := svc.VersionDeprecation(ctx, "payments", 2); d != nil {
		t.Errorf("VersionDeprecation(payments, 2) = %+v, want none", d)
	}
	_, err = svc.DeleteDeprecation(ctx, 9999)
	wantCode(t, err, srapi.CodeDeprecationNotFound)
}

func TestBackfillCoversTheWindowIncludingSoftDeleted(t *testing.T) {
	t.Parallel()
	svc, clk := consumerService(t)
	ctx := t.Context()
	if _, err := svc.SetConfig(ctx, "orders", registry.Config{Compatibility: ptr(compat.None)}); err != nil {
		t.Fatal(err)
	}
	register(t, svc, "orders", avroRecord(fieldID)) // v1: 100 days ago, outside the window
	clk.Advance(50 * 24 * time.Hour)
	register(t, svc, "orders", avroRecord(fieldID, `{"name":"total","type":"string"}`)) // v2: soft-deleted, inside
	if _, err := svc.DeleteVersion(ctx, "orders", 2, false); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * 24 * time.Hour)
	register(t, svc, "orders", avroRecord(fieldID, `{"name":"total","type":"double"}`)) // v3: latest
	clk.Advance(40 * 24 * time.Hour)

	c := registry.Consumer{Name: "billing", Owner: "finance", Reads: []registry.ConsumerRead{{
		Subject: "orders", Fields: []string{"total"}, Backfill: 90 * 24 * time.Hour,
	}}}
	if _, err := svc.PutConsumer(ctx, c); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.CheckBackfill(ctx, registry.BackfillParams{Name: "billing"})
	if err != nil {
		t.Fatalf("CheckBackfill: %v", err)
	}
	if len(rep.Subjects) != 1 {
		t.Fatalf("subjects = %+v, want one", rep.Subjects)
	}
	var checked []int
	for _, v := range rep.Subjects[0].Versions {
		checked = append(checked, v.Version)
	}
	if !slices.Equal(checked, []int{2, 3}) {
		t.Errorf("versions checked = %v, want [2 3] (v1 is outside the window, v2 soft-deleted inside)", checked)
	}
	if got := ruleIDs(rep.Subjects[0].Findings); !slices.Equal(got, []string{"CONSUMER_FIELD_TYPE_CHANGED/error/billing"}) || rep.Compatible() {
		t.Errorf("findings = %v, want the string total of soft-deleted v2 to be unreadable as double", got)
	}

	// A candidate definition with a wider window also reaches v1, which
	// lacks the field.
	c.Reads[0].Backfill = 200 * 24 * time.Hour
	rep, err = svc.CheckBackfill(ctx, registry.BackfillParams{Name: "billing", Candidate: &c})
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleIDs(rep.Subjects[0].Findings); !slices.Equal(got, []string{"CONSUMER_FIELD_MISSING/error/billing", "CONSUMER_FIELD_TYPE_CHANGED/error/billing"}) {
		t.Errorf("candidate findings = %v", got)
	}
	_, err = svc.CheckBackfill(ctx, registry.BackfillParams{Name: "nobody"})
	wantCode(t, err, srapi.CodeConsumerNotFound)
}

// failingUsageStore fails its first n writes, then records batches.
type failingUsageStore struct {
	mu      sync.Mutex
	fail    int
	batches [][]registry.UsageDelta
}

func (f *failingUsageStore) UsageAdd(ctx context.Context, batch []registry.UsageDelta) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail > 0 {
		f.fail--
		return errors.New("database down")
	}
	f.batches = append(f.batches, slices.Clone(batch))
	return nil
}

func TestUsageRecorderAggregatesAndKeepsCountsOnFailure(t *testing.T) {
	t.Parallel()
	st := &failingUsageStore{fail: 1}
	var tick atomic.Int64
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := registry.NewUsageRecorder(st, registry.UsageOptions{
		Now:    func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Millisecond) },
		Logger: slog.New(slog.DiscardHandler),
	})
	alice := registry.Identity{Source: registry.FromPrincipal, Name: "alice"}
	agent := registry.ClientIdentity(context.Background(), "", "curl/8")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				rec.Record(alice, registry.SchemaKey{ID: 1 + i%2})
				switch g {
				case 0:
					rec.Record(agent, registry.SchemaKey{Context: registry.DefaultContext, ID: 1})
				case 1:
					// The same id in another context is another schema.
					rec.Record(alice, registry.SchemaKey{Context: ".ctx", ID: 1})
				}
			}
		})
	}
	wg.Wait()
	if err := rec.Flush(t.Context()); err == nil {
		t.Fatal("Flush with a failing store succeeded")
	}
	rec.Record(alice, registry.SchemaKey{ID: 1})
	if err := rec.Flush(t.Context()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if len(st.batches) != 1 {
		t.Fatalf("batches = %d, want 1", len(st.batches))
	}
	got := map[string]int64{}
	for _, d := range st.batches[0] {
		got[fmt.Sprintf("%s#%s%d", d.Identity, d.Context, d.SchemaID)] = d.Count
		if d.LastSeen.Before(d.FirstSeen) {
			t.Errorf("%+v: last seen before first seen", d)
		}
	}
	want := map[string]int64{"principal:alice#.1": 4001, "principal:alice#.2": 4000, "principal:alice#.ctx1": 1000, "agent:curl/8#.1": 1000}
	if len(got) != len(want) {
		t.Fatalf("flushed %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("count of %s = %d, want %d", k, got[k], n)
		}
	}
	if err := rec.Flush(t.Context()); err != nil || len(st.batches) != 1 {
		t.Errorf("an empty flush wrote a batch (%d) or failed (%v)", len(st.batches), err)
	}
}

func TestClientIdentityPrefersPrincipalThenClientIDThenAgent(t *testing.T) {
	t.Parallel()
	withPrincipal := registry.ContextWithPrincipal(context.Background(), "svc-orders")
	tests := []struct {
		name          string
		ctx           context.Context
		clientID, ua  string
		want          string
		wantRoundTrip bool
	}{
		{"Principal", withPrincipal, "id", "ua", "principal:svc-orders", true},
		{"ClientID", context.Background(), "orders-etl", "ua", "client:orders-etl", true},
		{"UserAgent", context.Background(), "", "Go-http-client/1.1", "agent:Go-http-client/1.1", true},
		{"Nothing", context.Background(), "", "", registry.AnonymousIdentity, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := registry.ClientIdentity(tc.ctx, tc.clientID, tc.ua)
			if id.String() != tc.want {
				t.Errorf("ClientIdentity = %q, want %q", id, tc.want)
			}
			if tc.wantRoundTrip && registry.ParseIdentity(id.String()) != id {
				t.Errorf("ParseIdentity(%q) = %+v, want %+v", id, registry.ParseIdentity(id.String()), id)
			}
		})
	}
}

func TestDeprecationReport(t *testing.T) {
	t.Parallel()
	svc, clk := consumerService(t)
	ctx := t.Context()
	marked := avroRecord(fieldID, `{"name":"note","type":"string","default":"","deprecated":{"reason":"free text","sunset":"2026-03-01","replacement":"Order.comment"}}`)
	v1 := register(t, svc, "orders-value", avroRecord(fieldID, fieldNote))
	clk.Advance(24 * time.Hour)
	v2 := register(t, svc, "orders-value", marked)
	register(t, svc, "payments-value", avroRecord(fieldID, fieldPrice))
	if _, err := svc.Deprecate(ctx, registry.DeprecationRecord{Subject: "payments-value", Path: "price", Reason: "use amount"}, registry.DeprecateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []registry.Consumer{
		fieldConsumer("etl", "orders-value", "note"),
		fieldConsumer("audit", "orders-value", "id"),
	} {
		if _, err := svc.PutConsumer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	svc.RecordUsage(registry.Identity{Source: registry.FromClientID, Name: "etl-prod"}, registry.SchemaKey{ID: v1.SchemaID})
	svc.RecordUsage(registry.Identity{Source: registry.FromClientID, Name: "etl-prod"}, registry.SchemaKey{ID: v2.SchemaID})
	if err := svc.FlushUsage(ctx); err != nil {
		t.Fatal(err)
	}

	rep, err := svc.DeprecationReport(ctx, registry.ReportParams{})
	if err != nil {
		t.Fatalf("DeprecationReport: %v", err)
	}
	if len(rep.Items) != 2 {
		t.Fatalf("items = %+v, want the marker in orders-value and the record in payments-value", rep.Items)
	}
	note := rep.Items[0]
	if note.Subject != "orders-value" || note.Path != "Order.note" || note.Source != "schema" || note.Replacement != "Order.comment" {
		t.Errorf("first item = %+v", note)
	}
	if !note.Since.Equal(v2.CreatedAt) || note.DaysLeft != 49 || note.Overdue || note.Status != registry.StatusDeprecated {
		t.Errorf("note dates: since %v (want %v), days left %d (want 49), overdue %v, status %s", note.Since, v2.CreatedAt, note.DaysLeft, note.Overdue, note.Status)
	}
	if len(note.Consumers) != 1 || note.Consumers[0] != (registry.ReportConsumer{Name: "etl", Owner: "team-etl"}) {
		t.Errorf("consumers = %+v, want only etl", note.Consumers)
	}
	if len(note.Clients) != 1 || note.Clients[0].Count != 2 || !slices.Equal(note.Clients[0].SchemaIDs, []int{v1.SchemaID, v2.SchemaID}) {
		t.Errorf("clients = %+v, want etl-prod with 2 lookups over both ids", note.Clients)
	}
	price := rep.Items[1]
	if price.Source != "record" || price.Path != "Order.price" || !price.RemovableFrom.Equal(price.Since.Add(30*24*time.Hour)) {
		t.Errorf("second item = %+v, want the record removable 30 days after it was made", price)
	}

	byOwner, err := svc.DeprecationReport(ctx, registry.ReportParams{Owner: "team-etl"})
	if err != nil || len(byOwner.Items) != 1 || byOwner.Items[0].Path != "Order.note" {
		t.Errorf("report for owner team-etl = %+v, %v; want only Order.note", byOwner, err)
	}
	clk.Advance(60 * 24 * time.Hour)
	overdue, err := svc.DeprecationReport(ctx, registry.ReportParams{OverdueOnly: true, SubjectPrefix: "orders-"})
	if err != nil || len(overdue.Items) != 1 {
		t.Fatalf("overdue report = %+v, %v; want one item", overdue, err)
	}
	if it := overdue.Items[0]; !it.Overdue || it.DaysLeft != -11 || it.Status != registry.StatusOverdue || len(it.Clients) != 0 {
		t.Errorf("overdue item = %+v; want 11 days overdue, still read, no clients in the last 30 days", it)
	}
}
