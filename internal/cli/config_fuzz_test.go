package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig feeds arbitrary bytes to the schemactl.yaml loader: it
// must return a config or a located error, never panic.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte("registry: http://localhost:8081\nsubjects:\n  - subject: orders-value\n    file: schemas/order.avsc\n"))
	f.Add([]byte("subjects:\n  - subject: a\n    file: a.proto\n    references:\n      - name: b.proto\n        file: b.proto\n  - subject: b\n    file: b.proto\n"))
	f.Add([]byte("subjects: [\n"))
	f.Add([]byte("local: {level: FULL, additive: true, minDeprecationDays: -1}\n"))
	f.Add([]byte("consumers:\n  - name: etl\n    owner: team\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "schemactl.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(path, "schemactl.yaml")
		if err == nil && cfg == nil {
			t.Fatal("loadConfig returned neither a config nor an error")
		}
	})
}
