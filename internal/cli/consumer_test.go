package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

const (
	consumerOrderSchema = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"note","type":"string","default":""}]}`
	consumerReader = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"note","type":"string"}]}`
	// consumerReaderTooNew needs a field no writer version has.
	consumerReaderTooNew = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"long"},{"name":"total","type":"double"}]}`
)

// consumerProject is a repository with a subject and a declared consumer
// reading it, against a fresh registry where the subject is registered.
func consumerProject(t *testing.T) (string, env) {
	t.Helper()
	url := servertest.Start(t).URL()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"schemactl.yaml": "registry: " + url + `
subjects:
  - subject: orders-value
    file: schemas/order.avsc
consumers:
  - name: orders-etl
    owner: data-platform
    labels: {env: prod}
    reads:
      - subject: orders-value
        reader: readers/order.avsc
        backfill: 30d
`,
		"schemas/order.avsc": consumerOrderSchema,
		"readers/order.avsc": consumerReader,
	})
	e := env{}
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	return dir, e
}

func TestConsumerCommands(t *testing.T) {
	t.Parallel()
	dir, e := consumerProject(t)
	runSteps(t, dir, e, []step{
		{"ApplyCreates", []string{"consumer", "apply"}, ExitOK, []string{"created consumer orders-etl"}},
		{"ApplyAgainChangesNothing", []string{"consumer", "apply"}, ExitOK, []string{"unchanged consumer orders-etl"}},
		{"ApplyDryRun", []string{"consumer", "apply", "--dry-run"}, ExitOK, []string{"would apply consumer orders-etl"}},
		{"RegisterFieldConsumer", []string{"consumer", "register", "billing", "--owner", "finance", "--subject", "orders-value", "--fields", "Order.id,note", "--backfill", "90d"}, ExitOK, []string{"created consumer billing"}},
		{"List", []string{"consumer", "list"}, ExitOK, []string{"billing", "finance", "fields Order.id, note", "90d", "orders-etl", "avro reader", "30d"}},
		{"ListByOwner", []string{"consumer", "list", "--owner", "finance", "--format", "json"}, ExitOK, []string{`"name": "billing"`}},
		{"Get", []string{"consumer", "get", "orders-etl"}, ExitOK, []string{`"owner": "data-platform"`, `"env": "prod"`, `"backfill": "30d"`}},
		{"RegisterNeedsReaderOrFields", []string{"consumer", "register", "x", "--owner", "o", "--subject", "s"}, ExitUsage, nil},
		{"Deprecate", []string{"deprecate", "orders-value", "--path", "note", "--sunset", "2099-01-01", "--replacement", "Order.id", "--reason", "free text"}, ExitOK, []string{"recorded deprecation 1 of orders-value Order.note (sunset 2099-01-01)"}},
		{"DeprecateAgainUpdates", []string{"deprecate", "orders-value", "--path", "Order.note", "--sunset", "2099-02-01"}, ExitOK, []string{"updated deprecation 1 of orders-value Order.note (sunset 2099-02-01)"}},
		{"DeprecateBadSunset", []string{"deprecate", "orders-value", "--sunset", "soon"}, ExitUsage, nil},
		{"DeprecateUnknownPath", []string{"deprecate", "orders-value", "--path", "nothing"}, ExitUsage, nil},
		{"ReportJSON", []string{"deprecations", "report", "--format", "json"}, ExitOK, []string{`"version": 1`, `"path": "Order.note"`, `"name": "orders-etl"`, `"name": "billing"`}},
		{"ReportForOwner", []string{"deprecations", "report", "--owner", "finance", "--format", "markdown"}, ExitOK, []string{"| `orders-value` | `Order.note` |", "billing (finance)"}},
		{"ReportBadFormat", []string{"deprecations", "report", "--format", "xml"}, ExitUsage, nil},
		{"BackfillCheckPasses", []string{"check", "--consumer", "orders-etl"}, ExitOK, []string{"orders-value"}},
		{"DeleteConsumer", []string{"consumer", "delete", "billing"}, ExitOK, []string{"deleted consumer billing"}},
		{"DeleteUnknownConsumer", []string{"consumer", "delete", "billing"}, ExitUsage, nil},
	})

	// The consumer's CI checks a new reader that needs a field no version
	// in its backfill window writes: breaking, located in the reader file.
	writeFiles(t, dir, map[string]string{"readers/order.avsc": consumerReaderTooNew})
	r := schemactl(t, dir, e, "check", "--consumer", "orders-etl")
	if r.code != ExitBreaking || !strings.Contains(r.stdout, "CONSUMER_READER_INCOMPATIBLE") || !strings.Contains(r.stdout, "readers/order.avsc") {
		t.Errorf("check --consumer with a reader too new: %s", r)
	}
	if r := schemactl(t, dir, e, "check", "--consumer", "orders-etl", "--format", "junit"); r.code != ExitBreaking || !strings.Contains(r.stdout, "<testsuite") {
		t.Errorf("check --consumer --format junit: %s", r)
	}
	if r := schemactl(t, dir, e, "check", "--consumer", "nobody"); r.code != ExitUsage {
		t.Errorf("check --consumer of an unknown consumer: %s", r)
	}
}

// TestListsWalkPages lists more consumers and deprecations than the
// registry answers in a page: schemactl walks the pages and prints them
// all.
func TestListsWalkPages(t *testing.T) {
	t.Parallel()
	reg := servertest.Start(t, servertest.WithConfig(server.Config{ListLimit: 2}))
	c := clientOf(t, reg.URL())
	ctx := context.Background()
	var names []string
	for i := range 5 {
		name := fmt.Sprintf("paged-%d", i)
		names = append(names, name)
		if _, err := c.Register(ctx, name, client.Schema{Schema: consumerOrderSchema}, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.PutConsumer(ctx, srapi.Consumer{Name: name, Owner: "o", Reads: []srapi.ConsumerRead{{Subject: name, Fields: []string{"id"}}}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Deprecate(ctx, srapi.Deprecation{Subject: name, Path: "note"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	e := env{EnvRegistry: reg.URL()}
	for _, args := range [][]string{{"consumer", "list", "--format", "json"}, {"deprecations", "list", "--format", "json"}} {
		r := schemactl(t, t.TempDir(), e, args...)
		if r.code != ExitOK {
			t.Fatalf("%v: %s", args, r)
		}
		for _, name := range names {
			if !strings.Contains(r.stdout, `"`+name+`"`) {
				t.Errorf("%v lacks %s:\n%s", args, name, r.stdout)
			}
		}
	}
}
