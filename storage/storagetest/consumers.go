package storagetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// RunConsumers runs the conformance suite of registry.ConsumerStore (part
// of registry.Store): consumers with their reads, deprecation records and
// runtime usage. Run calls it.
func RunConsumers(t *testing.T, newStore NewStore) {
	t.Helper()
	newConsumerStore := func(t *testing.T) registry.ConsumerStore { return newStore(t) }
	runEach(t, newConsumerStore, []storeTest[registry.ConsumerStore]{
		{"ConsumerPutThenGetRoundTrips", testConsumerRoundTrip},
		{"ConsumerPutReplacesReadsAndKeepsCreatedAt", testConsumerReplace},
		{"ConsumerListFiltersBySubjectAndOwnerAndPages", testConsumerList},
		{"ConsumerDeleteThenNotFound", testConsumerDelete},
		{"DeprecationInsertConflictUpdateDelete", testDeprecationRecords},
		{"DeprecationListFiltersAndPages", testDeprecationList},
		{"UsageAddAccumulatesCountsAndTimes", testUsageAdd},
		{"UsageAddMergesALargeBatchWithRepeatedKeys", testUsageAddLarge},
		{"UsageKeepsContextsApart", testUsageContexts},
	})
}

// day is a fixed, microsecond-precision instant tests build times from.
var day = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func sampleConsumer(name, owner string, subjects ...string) registry.Consumer {
	c := registry.Consumer{
		Name: name, Owner: owner, Labels: map[string]string{"env": "prod"},
		CreatedAt: day, UpdatedAt: day,
	}
	for i, s := range subjects {
		r := registry.ConsumerRead{Subject: s, Backfill: 90 * 24 * time.Hour}
		if i%2 == 0 {
			r.Fields = []string{"Order.id", "Order.total"}
		} else {
			r.Format = schema.Protobuf
			r.ReaderSchema = `syntax = "proto3"; message M { int32 a = 1; }`
			r.Message = "M"
			r.References = []schema.Reference{{Name: "dep.proto", Subject: "dep", Version: 2}}
		}
		c.Reads = append(c.Reads, r)
	}
	return c
}

func mustPut(t *testing.T, s registry.ConsumerStore, c registry.Consumer) {
	t.Helper()
	if err := s.ConsumerPut(t.Context(), c); err != nil {
		t.Fatalf("ConsumerPut(%s): %v", c.Name, err)
	}
}

func testConsumerRoundTrip(t *testing.T, s registry.ConsumerStore) {
	want := sampleConsumer("orders-etl", "data-team", "a-value", "b-value")
	mustPut(t, s, want)
	got, err := s.ConsumerGet(t.Context(), "orders-etl")
	if err != nil {
		t.Fatalf("ConsumerGet: %v", err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("ConsumerGet = %+v, want %+v", *got, want)
	}
	if _, err := s.ConsumerGet(t.Context(), "nobody"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("ConsumerGet(missing) error = %v, want ErrNotFound", err)
	}
}

func testConsumerReplace(t *testing.T, s registry.ConsumerStore) {
	mustPut(t, s, sampleConsumer("c1", "team-a", "a-value", "b-value"))
	next := sampleConsumer("c1", "team-b", "c-value")
	next.CreatedAt, next.UpdatedAt = day.Add(time.Hour), day.Add(time.Hour)
	next.Labels = nil
	mustPut(t, s, next)
	got, err := s.ConsumerGet(t.Context(), "c1")
	if err != nil {
		t.Fatalf("ConsumerGet: %v", err)
	}
	if !got.CreatedAt.Equal(day) || !got.UpdatedAt.Equal(day.Add(time.Hour)) {
		t.Errorf("times = %v / %v, want created %v kept and updated %v", got.CreatedAt, got.UpdatedAt, day, day.Add(time.Hour))
	}
	if got.Owner != "team-b" || len(got.Reads) != 1 || got.Reads[0].Subject != "c-value" || len(got.Labels) != 0 {
		t.Errorf("replaced consumer = %+v, want owner team-b reading only c-value without labels", got)
	}
}

func testConsumerList(t *testing.T, s registry.ConsumerStore) {
	mustPut(t, s, sampleConsumer("b", "team-a", "orders"))
	mustPut(t, s, sampleConsumer("a", "team-b", "orders", "payments"))
	mustPut(t, s, sampleConsumer("c", "team-a", "payments"))
	names := func(cs []registry.Consumer) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	tests := []struct {
		name string
		p    registry.ConsumerListParams
		want []string
	}{
		{"AllByName", registry.ConsumerListParams{}, []string{"a", "b", "c"}},
		{"BySubject", registry.ConsumerListParams{Subject: "orders"}, []string{"a", "b"}},
		{"ByOwner", registry.ConsumerListParams{Owner: "team-a"}, []string{"b", "c"}},
		{"BySubjectAndOwner", registry.ConsumerListParams{Subject: "payments", Owner: "team-b"}, []string{"a"}},
		{"NoMatch", registry.ConsumerListParams{Subject: "nothing"}, []string{}},
		{"Page", registry.ConsumerListParams{Offset: 1, Limit: 1}, []string{"b"}},
		{"PageToTheEnd", registry.ConsumerListParams{Offset: 1}, []string{"b", "c"}},
		{"PageOfFiltered", registry.ConsumerListParams{Owner: "team-a", Offset: 1, Limit: 5}, []string{"c"}},
		{"PagePastTheEnd", registry.ConsumerListParams{Offset: 3, Limit: 2}, []string{}},
	}
	for _, tc := range tests {
		got, err := s.ConsumerList(t.Context(), tc.p)
		if err != nil {
			t.Fatalf("%s: ConsumerList: %v", tc.name, err)
		}
		if !reflect.DeepEqual(names(got), tc.want) {
			t.Errorf("%s: ConsumerList = %v, want %v", tc.name, names(got), tc.want)
		}
		for _, c := range got {
			if len(c.Reads) == 0 {
				t.Errorf("%s: consumer %s listed without its reads", tc.name, c.Name)
			}
		}
	}
}

func testConsumerDelete(t *testing.T, s registry.ConsumerStore) {
	mustPut(t, s, sampleConsumer("gone", "team", "orders"))
	if err := s.ConsumerDelete(t.Context(), "gone"); err != nil {
		t.Fatalf("ConsumerDelete: %v", err)
	}
	if _, err := s.ConsumerGet(t.Context(), "gone"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("ConsumerGet after delete error = %v, want ErrNotFound", err)
	}
	if err := s.ConsumerDelete(t.Context(), "gone"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("second ConsumerDelete error = %v, want ErrNotFound", err)
	}
	got, err := s.ConsumerList(t.Context(), registry.ConsumerListParams{Subject: "orders"})
	if err != nil || len(got) != 0 {
		t.Errorf("ConsumerList after delete = %v, %v; want none (reads deleted too)", got, err)
	}
}

func testDeprecationRecords(t *testing.T, s registry.ConsumerStore) {
	ctx := t.Context()
	in := registry.DeprecationRecord{
		Subject: "orders", Path: "Order.note", Reason: "unused", Sunset: day.AddDate(0, 1, 0),
		Replacement: "Order.comment", CreatedAt: day,
	}
	rec, err := s.DeprecationInsert(ctx, in)
	if err != nil {
		t.Fatalf("DeprecationInsert: %v", err)
	}
	if rec.ID == 0 {
		t.Fatalf("DeprecationInsert returned no id")
	}
	in.ID = rec.ID
	if !reflect.DeepEqual(*rec, in) {
		t.Errorf("DeprecationInsert = %+v, want %+v", *rec, in)
	}
	if _, err := s.DeprecationInsert(ctx, in); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("duplicate DeprecationInsert error = %v, want ErrConflict", err)
	}
	upd := *rec
	upd.Reason, upd.Sunset, upd.Replacement = "replaced", time.Time{}, ""
	if err := s.DeprecationUpdate(ctx, upd); err != nil {
		t.Fatalf("DeprecationUpdate: %v", err)
	}
	got, err := s.DeprecationGet(ctx, rec.ID)
	if err != nil {
		t.Fatalf("DeprecationGet: %v", err)
	}
	if !reflect.DeepEqual(*got, upd) {
		t.Errorf("DeprecationGet after update = %+v, want %+v", *got, upd)
	}
	if err := s.DeprecationDelete(ctx, rec.ID); err != nil {
		t.Fatalf("DeprecationDelete: %v", err)
	}
	if _, err := s.DeprecationGet(ctx, rec.ID); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("DeprecationGet after delete error = %v, want ErrNotFound", err)
	}
	if err := s.DeprecationUpdate(ctx, upd); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("DeprecationUpdate of deleted record error = %v, want ErrNotFound", err)
	}
	if err := s.DeprecationDelete(ctx, rec.ID); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("second DeprecationDelete error = %v, want ErrNotFound", err)
	}
}

func testDeprecationList(t *testing.T, s registry.ConsumerStore) {
	ctx := t.Context()
	for _, d := range []registry.DeprecationRecord{
		{Subject: "orders-value", Path: "Order.b", CreatedAt: day},
		{Subject: "orders-value", Version: 2, CreatedAt: day},
		{Subject: "orders-value", Path: "Order.a", CreatedAt: day},
		{Subject: "payments-value", CreatedAt: day},
		{Subject: "orders", CreatedAt: day},
	} {
		if _, err := s.DeprecationInsert(ctx, d); err != nil {
			t.Fatalf("DeprecationInsert(%+v): %v", d, err)
		}
	}
	key := func(ds []registry.DeprecationRecord) []string {
		out := []string{}
		for _, d := range ds {
			out = append(out, d.Subject+"|"+d.Path+"|"+string(rune('0'+d.Version)))
		}
		return out
	}
	tests := []struct {
		name string
		p    registry.DeprecationListParams
		want []string
	}{
		{"AllOrdered", registry.DeprecationListParams{}, []string{"orders||0", "orders-value||2", "orders-value|Order.a|0", "orders-value|Order.b|0", "payments-value||0"}},
		{"BySubject", registry.DeprecationListParams{Subject: "orders"}, []string{"orders||0"}},
		{"ByPrefix", registry.DeprecationListParams{SubjectPrefix: "orders-"}, []string{"orders-value||2", "orders-value|Order.a|0", "orders-value|Order.b|0"}},
		{"PrefixIsLiteral", registry.DeprecationListParams{SubjectPrefix: "orders_"}, []string{}},
		{"Page", registry.DeprecationListParams{Offset: 1, Limit: 2}, []string{"orders-value||2", "orders-value|Order.a|0"}},
		{"PageOfPrefix", registry.DeprecationListParams{SubjectPrefix: "orders-", Offset: 2}, []string{"orders-value|Order.b|0"}},
		{"PagePastTheEnd", registry.DeprecationListParams{Offset: 5, Limit: 1}, []string{}},
	}
	for _, tc := range tests {
		got, err := s.DeprecationList(ctx, tc.p)
		if err != nil {
			t.Fatalf("%s: DeprecationList: %v", tc.name, err)
		}
		if !reflect.DeepEqual(key(got), tc.want) {
			t.Errorf("%s: DeprecationList = %v, want %v", tc.name, key(got), tc.want)
		}
	}
}

func testUsageAdd(t *testing.T, s registry.ConsumerStore) {
	ctx := t.Context()
	first := []registry.UsageDelta{
		{SchemaID: 1, Identity: "client:a", Count: 3, FirstSeen: day, LastSeen: day.Add(time.Minute)},
		{SchemaID: 2, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day},
	}
	second := []registry.UsageDelta{
		{SchemaID: 1, Identity: "client:a", Count: 4, FirstSeen: day.Add(-time.Hour), LastSeen: day.Add(30 * time.Second)},
		{SchemaID: 1, Identity: "client:b", Count: 1, FirstSeen: day.AddDate(0, 0, 2), LastSeen: day.AddDate(0, 0, 2)},
	}
	for _, b := range [][]registry.UsageDelta{first, second, nil} {
		if err := s.UsageAdd(ctx, b); err != nil {
			t.Fatalf("UsageAdd: %v", err)
		}
	}
	all, err := s.UsageList(ctx, registry.UsageListParams{})
	if err != nil {
		t.Fatalf("UsageList: %v", err)
	}
	// Deltas without a context are the default context's.
	want := []registry.Usage{
		{Context: ".", SchemaID: 1, Identity: "client:a", Count: 7, FirstSeen: day.Add(-time.Hour), LastSeen: day.Add(time.Minute)},
		{Context: ".", SchemaID: 1, Identity: "client:b", Count: 1, FirstSeen: day.AddDate(0, 0, 2), LastSeen: day.AddDate(0, 0, 2)},
		{Context: ".", SchemaID: 2, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("UsageList = %+v, want %+v", all, want)
	}
	recent, err := s.UsageList(ctx, registry.UsageListParams{SeenSince: day.AddDate(0, 0, 1)})
	if err != nil || len(recent) != 1 || recent[0].Identity != "client:b" {
		t.Errorf("UsageList(SeenSince) = %+v, %v; want only client:b", recent, err)
	}
	two, err := s.UsageList(ctx, registry.UsageListParams{SchemaIDs: []int{2, 9}})
	if err != nil || len(two) != 1 || two[0].SchemaID != 2 {
		t.Errorf("UsageList(SchemaIDs) = %+v, %v; want only id 2", two, err)
	}
}

// testUsageContexts records the same schema id and identity in two
// contexts: ids are unique per context, so the rows stay apart, in one
// batch and across batches, and a listing can keep one context.
func testUsageContexts(t *testing.T, s registry.ConsumerStore) {
	ctx := t.Context()
	batches := [][]registry.UsageDelta{
		{
			{Context: ".ctx", SchemaID: 1, Identity: "client:a", Count: 2, FirstSeen: day, LastSeen: day},
			{Context: ".", SchemaID: 1, Identity: "client:a", Count: 5, FirstSeen: day, LastSeen: day},
			{Context: ".ctx", SchemaID: 1, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day.Add(time.Hour)},
		},
		{
			{Context: ".ctx", SchemaID: 1, Identity: "client:a", Count: 10, FirstSeen: day.Add(-time.Hour), LastSeen: day},
			{Context: ".other", SchemaID: 1, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day},
		},
	}
	for _, b := range batches {
		if err := s.UsageAdd(ctx, b); err != nil {
			t.Fatalf("UsageAdd: %v", err)
		}
	}
	dflt := registry.Usage{Context: ".", SchemaID: 1, Identity: "client:a", Count: 5, FirstSeen: day, LastSeen: day}
	inCtx := registry.Usage{Context: ".ctx", SchemaID: 1, Identity: "client:a", Count: 13, FirstSeen: day.Add(-time.Hour), LastSeen: day.Add(time.Hour)}
	other := registry.Usage{Context: ".other", SchemaID: 1, Identity: "client:a", Count: 1, FirstSeen: day, LastSeen: day}
	tests := []struct {
		name string
		p    registry.UsageListParams
		want []registry.Usage
	}{
		{"every context", registry.UsageListParams{}, []registry.Usage{dflt, inCtx, other}},
		{"the default context", registry.UsageListParams{Context: "."}, []registry.Usage{dflt}},
		{"one context and id", registry.UsageListParams{Context: ".ctx", SchemaIDs: []int{1}}, []registry.Usage{inCtx}},
		{"an unused context", registry.UsageListParams{Context: ".none"}, nil},
	}
	for _, tc := range tests {
		got, err := s.UsageList(ctx, tc.p)
		if err != nil {
			t.Fatalf("%s: UsageList: %v", tc.name, err)
		}
		if len(got) != len(tc.want) || len(got) > 0 && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: UsageList = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// testUsageAddLarge flushes one batch far larger than a store writes in
// one statement, in which every key appears three times, out of order:
// each key must come out once, with its counts summed and the widest time
// span.
func testUsageAddLarge(t *testing.T, s registry.ConsumerStore) {
	ctx := t.Context()
	const keys = 13_000 // beyond two chunks of a multi-row statement
	var batch []registry.UsageDelta
	for round := range 3 {
		for k := keys - 1; k >= 0; k-- {
			at := day.Add(time.Duration(round) * time.Hour)
			batch = append(batch, registry.UsageDelta{
				Context: []string{".", ".ctx"}[k%2], SchemaID: k%7 + 1, Identity: fmt.Sprintf("client:%04d", k),
				Count: int64(round + 1), FirstSeen: at, LastSeen: at.Add(time.Second),
			})
		}
	}
	if err := s.UsageAdd(ctx, batch); err != nil {
		t.Fatalf("UsageAdd of %d deltas: %v", len(batch), err)
	}
	all, err := s.UsageList(ctx, registry.UsageListParams{})
	if err != nil {
		t.Fatalf("UsageList: %v", err)
	}
	if len(all) != keys {
		t.Fatalf("UsageList returned %d rows, want %d", len(all), keys)
	}
	for i, u := range all {
		want := registry.Usage{
			Context: u.Context, SchemaID: u.SchemaID, Identity: u.Identity, Count: 1 + 2 + 3,
			FirstSeen: day, LastSeen: day.Add(2*time.Hour + time.Second),
		}
		if !reflect.DeepEqual(u, want) {
			t.Fatalf("row %d = %+v, want %+v", i, u, want)
		}
		if i > 0 && all[i-1].Context == u.Context && all[i-1].SchemaID == u.SchemaID && all[i-1].Identity >= u.Identity {
			t.Fatalf("rows %d and %d are out of order: %+v, %+v", i-1, i, all[i-1], u)
		}
	}
}
