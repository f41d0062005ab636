package storagetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// BenchWriters is how many goroutines BenchmarkRegister writes with.
const BenchWriters = 8

// BenchmarkRegister measures new versions per second with BenchWriters
// goroutines, each registering new schemas the way the domain does: in one
// transaction, under the subject lock, a schema insert and a version
// insert numbered VersionMax+1. "subjects=8" gives each writer its own
// subject; "subjects=1" makes every writer contend for one. newStore
// returns a fresh store that can serve BenchWriters connections at once.
func BenchmarkRegister(b *testing.B, newStore func(b *testing.B) registry.Store) {
	for _, subjects := range []int{BenchWriters, 1} {
		b.Run(fmt.Sprintf("writers=%d/subjects=%d", BenchWriters, subjects), func(b *testing.B) {
			s := newStore(b)
			var seq atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for w := range BenchWriters {
				subject := fmt.Sprintf("bench-%d", w%subjects)
				wg.Go(func() {
					for n := seq.Add(1); n <= int64(b.N); n = seq.Add(1) {
						if err := registerNew(s, subject, n); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "versions/s")
		})
	}
}

// registerNew inserts schema number n and makes it the next version of
// subject.
func registerNew(s registry.Store, subject string, n int64) error {
	return s.InTx(context.Background(), func(ctx context.Context, tx registry.Executor) error {
		if err := tx.SubjectLock(ctx, subject); err != nil {
			return err
		}
		text := fmt.Sprintf(`{"type":"record","name":"R%d","fields":[]}`, n)
		sch, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
			Format: schema.Avro, Text: text, Fingerprint: fmt.Sprintf("bench:%d", n),
		}})
		if err != nil {
			return err
		}
		max, err := tx.VersionMax(ctx, subject)
		if err != nil {
			return err
		}
		_, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: subject, Version: max + 1, SchemaID: sch.ID})
		return err
	})
}

// BenchmarkLookup measures the read path a registry serves most: a
// subject's latest version, then its schema by id, on a store holding
// 100 versions, with b.RunParallel readers. Writes are bounded by the disk;
// reads show what each query costs the store's own code and driver.
func BenchmarkLookup(b *testing.B, newStore func(b *testing.B) registry.Store) {
	s := newStore(b)
	const versions = 100
	for n := range int64(versions) {
		if err := registerNew(s, "lookup", n+1); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			v, err := s.VersionLatest(ctx, "lookup", false)
			if err != nil {
				b.Error(err)
				return
			}
			if v.Version != versions {
				b.Errorf("latest version = %d, want %d", v.Version, versions)
				return
			}
			if _, err := s.SchemaGetByID(ctx, dc, v.SchemaID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
