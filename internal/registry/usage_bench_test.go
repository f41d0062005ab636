package registry_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
)

type discardUsage struct{}

func (discardUsage) UsageAdd(context.Context, []registry.UsageDelta) error { return nil }

// BenchmarkUsageRecord measures one Record of an already-seen pair from
// parallel goroutines: the whole cost usage recording adds to a lookup.
func BenchmarkUsageRecord(b *testing.B) {
	rec := registry.NewUsageRecorder(discardUsage{}, registry.UsageOptions{})
	ids := make([]registry.Identity, 16)
	for i := range ids {
		ids[i] = registry.Identity{Source: registry.FromClientID, Name: fmt.Sprintf("client-%d", i)}
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			rec.Record(ids[i%len(ids)], registry.SchemaKey{Context: registry.DefaultContext, ID: 1 + i%4})
			i++
		}
	})
}
