package registry_test

import (
	"log/slog"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/storage/postgres"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// TestConsumerChangesReachOtherProcesses: two registry processes over one
// database. One has cached what a subject's checks need of the consumer
// features; consumers and deprecation records written through the other
// change its verdicts once their notifications arrive, which their
// transactions send on commit.
func TestConsumerChangesReachOtherProcesses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	pool := pgtest.NewPool(t)
	open := func() *registry.Service {
		st, err := postgres.New(ctx, pool, postgres.Options{SkipMigrations: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return registry.New(st, registry.Options{Defaults: registry.ConfluentDefaultConfig(), Logger: slog.New(slog.DiscardHandler)})
	}
	checker, writer := open(), open()
	watch(t, checker)

	if _, err := checker.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: avroRecord(fieldID, fieldNote)}); err != nil {
		t.Fatal(err)
	}
	// Dropping note is BACKWARD compatible while nobody reads it.
	compatible := func() bool {
		t.Helper()
		res, err := checker.CheckCompatibility(ctx, registry.CompatibilityParams{Subject: "orders", Schema: avroRecord(fieldID)})
		if err != nil {
			t.Fatalf("CheckCompatibility: %v", err)
		}
		return res.Compatible()
	}
	if !compatible() {
		t.Fatal("dropping an unread field is refused")
	}
	steps := []struct {
		name  string
		write func() error
		want  bool
	}{
		{"a consumer reading the field is declared", func() error {
			_, err := writer.PutConsumer(ctx, fieldConsumer("billing", "orders", "note"))
			return err
		}, false},
		{"the consumer is deleted", func() error {
			_, err := writer.DeleteConsumer(ctx, "billing")
			return err
		}, true},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if !eventually(t, func() bool { return compatible() == step.want }) {
			t.Errorf("after %s, dropping the field is compatible=%v, want %v", step.name, !step.want, step.want)
		}
	}
}
