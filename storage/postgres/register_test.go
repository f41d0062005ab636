package postgres_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// orderSchema is version n of an Avro record that grows by one optional
// field per version, so every version is new and BACKWARD compatible
// with (and additive over) the ones before.
func orderSchema(name string, n int) registry.SchemaInput {
	var b strings.Builder
	fmt.Fprintf(&b, `{"type":"record","name":%q,"namespace":"bench","fields":[{"name":"id","type":"long"}`, name)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, `,{"name":"f%d","type":"string","default":""}`, i)
	}
	b.WriteString("]}")
	return registry.SchemaInput{Format: schema.Avro, Text: b.String()}
}

// TestRegisterRoundTrips counts the round trips to PostgreSQL (a
// statement, or statements sent together) that the registry takes for
// the registrations a producer fleet makes, once its caches hold the
// configs and modes: so that a change adding one cannot pass unnoticed.
// A round trip more is a slower write path; when a change needs one,
// raise the figure here with the reason. A transaction's BEGIN and
// subject lock travel with its first statement (the read of the
// subject's versions), and the notification of a new version is sent by
// the store's notifier, off the request's path.
func TestRegisterRoundTrips(t *testing.T) {
	t.Parallel()
	var counter pgtest.Counter
	st := pgtest.NewStore(t, pgtest.WithTracer(&counter))
	svc := registry.New(st, registry.Options{Logger: slog.New(slog.DiscardHandler)})
	ctx := t.Context()
	register := func(subject string, in registry.SchemaInput) *registry.SubjectVersion {
		t.Helper()
		v, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in})
		if err != nil {
			t.Fatalf("register in %s: %v", subject, err)
		}
		return v
	}
	// Warm up: the global config and mode, the statement cache of the
	// connections, and one subject's own config and mode.
	for n := 1; n <= 3; n++ {
		register("warm", orderSchema("Warm", n))
	}
	register("orders", orderSchema("Order", 1))
	counter.Take()

	tests := []struct {
		name    string
		subject string
		in      registry.SchemaInput
		// max is the most round trips the registration may take.
		max int
	}{
		{"new version of a subject", "orders", orderSchema("Order", 2), 5},
		{"another new version", "orders", orderSchema("Order", 3), 5},
		// A new version is never remembered as an answer: the first
		// repetition finds it in the store, the next ones in memory.
		{"repeated registration", "orders", orderSchema("Order", 3), 1},
		{"repeated again", "orders", orderSchema("Order", 3), 0},
		// The schema row exists: the refused insert reads it in the same
		// transaction, and the subject gets the same id. The subject is
		// new, so its own mode, config, consumers and deprecation
		// records are read once too.
		{"a schema stored under another subject", "copies", orderSchema("Order", 3), 11},
	}
	ids := map[string]int{}
	for _, tc := range tests {
		v := register(tc.subject, tc.in)
		// The store's notifier sends a registration's notification after
		// Register returns, batched with others: not on its path.
		sent := slices.DeleteFunc(counter.Take(), func(sql string) bool {
			return strings.HasPrefix(sql, "SELECT pg_notify($1, p) FROM unnest")
		})
		if id, ok := ids[tc.in.Text]; ok && id != v.SchemaID {
			t.Errorf("%s: schema id %d, want %d as before", tc.name, v.SchemaID, id)
		}
		ids[tc.in.Text] = v.SchemaID
		t.Logf("%s: %d round trips:\n%s", tc.name, len(sent), strings.Join(sent, "\n"))
		if len(sent) > tc.max {
			t.Errorf("%s: %d round trips, want at most %d:\n%s", tc.name, len(sent), tc.max, strings.Join(sent, "\n"))
		}
	}
}

// BenchmarkServiceRegister measures new versions per second through the
// whole registration (mode and config, lookup, compatibility check,
// insert) with 8 writers on their own subjects, against PostgreSQL.
func BenchmarkServiceRegister(b *testing.B) {
	const writers = 8
	st := pgtest.NewStore(b, pgtest.WithMaxConns(writers))
	svc := registry.New(st, registry.Options{Logger: slog.New(slog.DiscardHandler)})
	ctx := b.Context()
	var seq atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			// Ten versions per subject, as the scale benchmark has.
			for n := seq.Add(1); n <= int64(b.N); n = seq.Add(1) {
				subject := fmt.Sprintf("w%d-s%d", w, n/10)
				in := orderSchema(fmt.Sprintf("R%d", n/10), int(n%10)+1)
				if _, err := svc.Register(ctx, registry.RegisterParams{Subject: subject, Schema: in}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "versions/s")
}

// TestFirstReregistrationsShareOneQuery: a process that has not seen a
// subject's re-registrations (a restarted replica, or another one) reads
// the subject's version hashes once, with the first of them, and answers
// the others from memory; a change to the subject makes it read again.
func TestFirstReregistrationsShareOneQuery(t *testing.T) {
	t.Parallel()
	var counter pgtest.Counter
	st := pgtest.NewStore(t, pgtest.WithTracer(&counter))
	ctx := t.Context()
	logger := slog.New(slog.DiscardHandler)
	writer := registry.New(st, registry.Options{Logger: logger})
	want := map[int]*registry.SubjectVersion{}
	for n := 1; n <= 4; n++ {
		v, err := writer.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: orderSchema("Order", n)})
		if err != nil {
			t.Fatal(err)
		}
		want[n] = v
	}

	other := registry.New(st, registry.Options{Logger: logger})
	reregister := func(n int) (*registry.SubjectVersion, []string) {
		t.Helper()
		counter.Take()
		v, err := other.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: orderSchema("Order", n)})
		if err != nil {
			t.Fatalf("re-register version %d: %v", n, err)
		}
		return v, counter.Take()
	}
	if v, sent := reregister(1); v.Version != 1 || v.SchemaID != want[1].SchemaID || len(sent) == 0 {
		t.Errorf("first re-registration: version %d id %d after %d statements, want version 1 id %d read from the store", v.Version, v.SchemaID, len(sent), want[1].SchemaID)
	}
	for n := 2; n <= 4; n++ {
		v, sent := reregister(n)
		if v.Version != n || v.SchemaID != want[n].SchemaID {
			t.Errorf("re-registration of version %d answered version %d id %d, want id %d", n, v.Version, v.SchemaID, want[n].SchemaID)
		}
		if len(sent) != 0 {
			t.Errorf("re-registration of version %d sent %d statements, want none:\n%s", n, len(sent), strings.Join(sent, "\n"))
		}
	}

	// A soft delete in the subject makes the remembered hashes stale: the
	// deleted version's schema is registered again as a new version, as
	// the store answers it, not as the version it was.
	if _, err := other.DeleteVersion(ctx, "orders", 4, false); err != nil {
		t.Fatal(err)
	}
	v, sent := reregister(4)
	if v.Version != 5 || len(sent) == 0 {
		t.Errorf("re-registration after deleting version 4: version %d after %d statements, want version 5 from the store", v.Version, len(sent))
	}
	if v, _ := reregister(2); v.Version != 2 || v.SchemaID != want[2].SchemaID {
		t.Errorf("re-registration of version 2 after the delete: version %d id %d, want 2 id %d", v.Version, v.SchemaID, want[2].SchemaID)
	}
}
