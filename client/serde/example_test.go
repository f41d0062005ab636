package serde_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/client/serde"
	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
)

// Example is a consuming pipeline: it reads wire-format bytes, decodes
// them with the schema each carries, and learns from the registry that a
// field it reads is going away. The registry, the producer and the
// deprecation are set up first, as another team would.
func Example() {
	ctx := context.Background()
	url, stop := exampleRegistry(ctx)
	defer stop()

	// The consumer: a Registry that logs deprecations (the default) to
	// stdout without timestamps, and a Deserializer.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	reg, err := serde.NewRegistry(url, serde.WithClientID("orders-etl/1"), serde.WithLogger(logger))
	if err != nil {
		log.Fatal(err)
	}
	de := serde.NewDeserializer(reg)

	for _, msg := range exampleMessages(ctx, url) {
		var o struct {
			ID   int64  `avro:"id"`
			Note string `avro:"note"`
		}
		sch, err := de.Deserialize(ctx, msg, &o)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("order %d (schema %d): %q\n", o.ID, sch.ID, o.Note)
	}
	// Output:
	// level=WARN msg="reading a deprecated schema element" schema_id=1 scope=field element=Order.note sunset=2027-06-01 replacement=Order.comment reason="free text moves to comment"
	// order 1 (schema 1): "leave at the door"
	// order 2 (schema 1): "ring twice"
}

// exampleRegistry starts a registry on the embedded store.
func exampleRegistry(ctx context.Context) (url string, stop func()) {
	dir, err := os.MkdirTemp("", "serde-example")
	if err != nil {
		log.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{
		Listen: "127.0.0.1:0", DataDir: dir, LogLevel: "error", LogFormat: "text",
		Ops: ops.Config{AuditLog: ops.AuditOff},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	return srv.URL(), func() {
		_ = srv.Shutdown(ctx)
		_ = os.RemoveAll(dir)
	}
}

// exampleMessages is the producer's side: it registers its schema,
// deprecates the note field through the API, and writes two orders.
func exampleMessages(ctx context.Context, url string) [][]byte {
	reg, err := serde.NewRegistry(url)
	if err != nil {
		log.Fatal(err)
	}
	ser, err := serde.NewSerializer(reg, client.Schema{Schema: orderAvsc}, serde.AutoRegister())
	if err != nil {
		log.Fatal(err)
	}
	var out [][]byte
	for _, o := range []order{{ID: 1, Note: "leave at the door"}, {ID: 2, Note: "ring twice"}} {
		b, err := ser.Serialize(ctx, "orders", &o)
		if err != nil {
			log.Fatal(err)
		}
		out = append(out, b)
	}
	resp, err := http.Post(url+"/v1/deprecations", client.ContentType, strings.NewReader(
		`{"subject":"orders-value","path":"note","sunset":"2027-06-01","replacement":"Order.comment","reason":"free text moves to comment"}`))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return out
}
