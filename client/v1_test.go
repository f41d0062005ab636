package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// TestConsumersDeprecationsAndReports walks the client through the
// registry's /v1 routes: a consumer registered, checked and deleted, and a
// deprecation recorded, reported and deleted.
func TestConsumersDeprecationsAndReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := startRegistry(t)
	if _, err := c.Register(ctx, "orders", client.Schema{Schema: orderV2}, nil); err != nil {
		t.Fatal(err)
	}

	billing := srapi.Consumer{Name: "billing", Owner: "team-b", Reads: []srapi.ConsumerRead{{Subject: "orders", Fields: []string{"note"}, Backfill: "90d"}}}
	got, created, err := c.PutConsumer(ctx, billing)
	if err != nil || !created || got.Name != "billing" || got.Owner != "team-b" || got.UpdatedAt == nil {
		t.Fatalf("PutConsumer = %+v, created %v, %v; want the new consumer", got, created, err)
	}
	if _, created, err := c.PutConsumer(ctx, billing); err != nil || created {
		t.Errorf("PutConsumer again: created %v, %v; want an update", created, err)
	}
	if one, err := c.Consumer(ctx, "billing"); err != nil || len(one.Reads) != 1 || one.Reads[0].Backfill != "90d" {
		t.Errorf("Consumer = %+v, %v", one, err)
	}
	if list, err := c.Consumers(ctx, &client.ConsumersOptions{Subject: "orders"}); err != nil || len(list) != 1 {
		t.Errorf("Consumers(subject orders) = %+v, %v; want billing", list, err)
	}
	if list, err := c.Consumers(ctx, &client.ConsumersOptions{Owner: "nobody"}); err != nil || len(list) != 0 {
		t.Errorf("Consumers(owner nobody) = %+v, %v; want none", list, err)
	}
	bf, err := c.CheckBackfill(ctx, "billing", nil)
	if err != nil || !bf.Compatible || len(bf.Subjects) != 1 || bf.Subjects[0].Subject != "orders" || len(bf.Subjects[0].Versions) != 1 {
		t.Errorf("CheckBackfill(registered) = %+v, %v", bf, err)
	}
	candidate := billing
	candidate.Reads = []srapi.ConsumerRead{{Subject: "orders", Schema: orderV1, SchemaType: srapi.TypeAvro}}
	if bf, err := c.CheckBackfill(ctx, "billing", &candidate); err != nil || bf.Consumer != "billing" || len(bf.Subjects) != 1 {
		t.Errorf("CheckBackfill(candidate) = %+v, %v", bf, err)
	}

	d, created, err := c.Deprecate(ctx, srapi.Deprecation{Subject: "orders", Path: "Order.note", Reason: "moves", Sunset: "2030-01-01"}, nil)
	if err != nil || !created || d.ID == 0 || d.Since == nil || d.Sunset != "2030-01-01T00:00:00Z" {
		t.Fatalf("Deprecate = %+v, created %v, %v", d, created, err)
	}
	again, created, err := c.Deprecate(ctx, srapi.Deprecation{Subject: "orders", Path: "Order.note", Reason: "moves later"}, nil)
	if err != nil || created || again.ID != d.ID {
		t.Errorf("Deprecate again = %+v, created %v, %v; want the same record updated", again, created, err)
	}
	if ds, err := c.Deprecations(ctx, &client.DeprecationsOptions{SubjectPrefix: "ord"}); err != nil || len(ds) != 1 || ds[0].ID != d.ID {
		t.Errorf("Deprecations = %+v, %v", ds, err)
	}
	if got, err := c.Deprecation(ctx, d.ID); err != nil || got.ID != d.ID || got.Reason != "moves later" {
		t.Errorf("Deprecation(%d) = %+v, %v", d.ID, got, err)
	}
	past := srapi.Deprecation{Subject: "orders", Path: "Order.note", Reason: "moves later", Sunset: "2020-01-01"}
	if _, _, err := c.Deprecate(ctx, past, nil); !errors.Is(err, srapi.ErrInvalidDeprecation) {
		t.Errorf("Deprecate(past sunset) = %v, want ErrInvalidDeprecation", err)
	}
	if forced, _, err := c.Deprecate(ctx, past, &client.DeprecateOptions{Force: true}); err != nil || forced.Sunset != "2020-01-01T00:00:00Z" {
		t.Errorf("Deprecate(past sunset, forced) = %+v, %v", forced, err)
	}
	if _, _, err := c.Deprecate(ctx, srapi.Deprecation{Subject: "orders", Path: "Order.note", Reason: "moves later"}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := c.DeprecationReport(ctx, &client.ReportOptions{SubjectPrefix: "orders", UsageDays: 7})
	if err != nil || rep.UsageDays != 7 || len(rep.Items) != 1 || rep.Items[0].Path != "Order.note" || rep.Items[0].RecordID != d.ID {
		t.Fatalf("DeprecationReport = %+v, %v", rep, err)
	}
	if cs := rep.Items[0].Consumers; len(cs) != 1 || cs[0].Name != "billing" {
		t.Errorf("report consumers = %+v, want billing, which reads the field", cs)
	}
	if rep, err := c.DeprecationReport(ctx, &client.ReportOptions{OverdueOnly: true}); err != nil || len(rep.Items) != 0 {
		t.Errorf("DeprecationReport(overdueOnly) = %+v, %v; want nothing overdue", rep, err)
	}

	if err := c.DeleteDeprecation(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDeprecation(ctx, d.ID); !errors.Is(err, srapi.ErrDeprecationNotFound) {
		t.Errorf("DeleteDeprecation again: %v, want ErrDeprecationNotFound", err)
	}
	if err := c.DeleteConsumer(ctx, "billing"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Consumer(ctx, "billing"); !errors.Is(err, srapi.ErrConsumerNotFound) {
		t.Errorf("Consumer after delete: %v, want ErrConsumerNotFound", err)
	}
}
