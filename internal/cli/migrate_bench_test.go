package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/schema"
)

// seedVersions fills a Confluent-mode source registry on the embedded
// store with subjects×versions Avro versions, straight through the store
// (registering them over HTTP would take longer than the copy measured).
func seedVersions(b *testing.B, subjects, versions int) *servertest.Registry {
	b.Helper()
	src := servertest.Start(b, servertest.WithBackend(servertest.SQLite), servertest.WithoutLogs(),
		servertest.WithConfig(server.Config{ConfluentDefaults: true}))
	err := src.Store.InTx(context.Background(), func(ctx context.Context, tx registry.Executor) error {
		for s := range subjects {
			for v := 1; v <= versions; v++ {
				text := fmt.Sprintf(`{"type":"record","name":"S%d","namespace":"bench","fields":[{"name":"f%d","type":"long"}]}`, s, v)
				sch, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
					Format: schema.Avro, Text: text, Fingerprint: fmt.Sprintf("bench-%d-%d", s, v),
				}})
				if err != nil {
					return err
				}
				if _, err := tx.VersionInsert(ctx, registry.VersionInsertParams{
					Subject: fmt.Sprintf("bench-%04d-value", s), Version: v, SchemaID: sch.ID, CreatedAt: time.Now(),
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkMigrate10000 copies a registry of 1,000 subjects × 10
// versions into an empty registry on each store, verification included,
// and reports the import rate schemactl prints.
//
//	go test ./internal/cli -run '^$' -bench Migrate10000 -benchtime 1x
func BenchmarkMigrate10000(b *testing.B) {
	const subjects, versions = 1000, 10
	src := seedVersions(b, subjects, versions)
	for _, backend := range servertest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				dst := servertest.Start(b, servertest.WithBackend(backend), servertest.WithoutLogs())
				b.StartTimer()
				started := time.Now()
				r := schemactl(b, b.TempDir(), env{EnvRegistry: dst.URL()}, "migrate", "--from", src.URL())
				elapsed := time.Since(started)
				if r.code != ExitOK || !strings.Contains(r.stdout, fmt.Sprintf("copied: %d versions imported", subjects*versions)) {
					b.Fatalf("migrate: %s", r)
				}
				b.ReportMetric(float64(subjects*versions)/elapsed.Seconds(), "versions/s")
				b.Logf("%s", r.stdout)
			}
		})
	}
}
