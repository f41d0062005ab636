package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// generatedProject writes n Avro subjects of 12 fields each, registers
// them straight through the client, then edits every file compatibly (a
// new optional field), so a check has real work for each.
func generatedProject(b *testing.B, n int) (dir string, e env) {
	b.Helper()
	dir = b.TempDir()
	url := servertest.Start(b, servertest.WithoutLogs()).URL()
	c := clientOf(b, url)
	var cfg strings.Builder
	cfg.WriteString("subjects:\n")
	files := map[string]string{}
	for i := range n {
		subject := fmt.Sprintf("gen%03d-value", i)
		file := fmt.Sprintf("schemas/gen%03d.avsc", i)
		fmt.Fprintf(&cfg, "  - subject: %s\n    file: %s\n", subject, file)
		if _, err := c.Register(context.Background(), subject, client.Schema{Schema: genSchema(i, false)}, nil); err != nil {
			b.Fatalf("register %s: %v", subject, err)
		}
		files[file] = genSchema(i, true)
	}
	files["schemactl.yaml"] = cfg.String()
	writeFiles(b, dir, files)
	return dir, env{EnvRegistry: url}
}

func genSchema(i int, edited bool) string {
	var fields []string
	for f := range 12 {
		fields = append(fields, fmt.Sprintf(`    {"name": "f%d", "type": "long", "doc": "field %d"}`, f, f))
	}
	if edited {
		fields = append(fields, `    {"name": "note", "type": ["null", "string"], "default": null}`)
	}
	return fmt.Sprintf("{\n  \"type\": \"record\",\n  \"name\": \"Gen%d\",\n  \"namespace\": \"bench\",\n  \"fields\": [\n%s\n  ]\n}\n",
		i, strings.Join(fields, ",\n"))
}

// BenchmarkCheck200 times `schemactl check` over 200 edited schema files
// against a registry running in-process on loopback.
func BenchmarkCheck200(b *testing.B) {
	dir, e := generatedProject(b, 200)
	for b.Loop() {
		r := schemactl(b, dir, e, "check", "--format", "json")
		if r.code != ExitOK {
			b.Fatalf("check: %s", r)
		}
	}
}
