package schemata_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/schemata-dev/schemata"

// allowed lists, for each package (prefix) of this module, the module
// packages it may import. The import graph is the architecture: formats and
// the checker at the bottom, the registry domain in the middle, transport
// and persistence around it, commands on top.
var allowed = map[string][]string{
	// Formats and the checker: the bottom layer, public so that other Go
	// programs can embed the checker.
	"schema":            {},
	"schema/internal":   {"schema"},
	"schema/avro":       {"schema"},
	"schema/protobuf":   {"schema"},
	"schema/jsonschema": {"schema"},
	"schema/formats":    {"schema", "schema/avro", "schema/protobuf", "schema/jsonschema"},
	"compat":            {"schema", "schema/avro", "schema/protobuf", "schema/jsonschema"},
	// The HTTP contract: every body of the API, the error-code table and
	// the finding shape. Standard library only, so any program can speak
	// the API without linking the registry.
	"srapi": {},
	// The one conversion of checker findings to the contract, shared by
	// the API, schemactl and the UI.
	"internal/compatwire": {"compat", "schema", "srapi"},
	// The domain.
	"internal/registry": {"schema", "schema/formats", "compat", "srapi"},
	// Identity and access: the model, its HTTP side and its test kit.
	"internal/auth":          {"internal/auth"},
	"internal/auth/authhttp": {"internal/auth", "internal/ops/audit", "srapi"},
	// Persistence: implements the domain's Store (and auth's token store).
	// sqlstore holds the store logic written once; each store imports it
	// and adds its dialect, never the other store.
	"migrations":       {},
	"storage":          {"internal/registry", "migrations", "storage", "compat", "schema", "internal/auth"},
	"storage/sqlstore": {"internal/registry", "compat", "schema", "internal/auth"},
	"storage/postgres": {"internal/registry", "migrations", "storage/postgres", "storage/sqlstore", "compat", "schema", "internal/auth"},
	"storage/sqlite":   {"internal/registry", "migrations", "storage/sqlite", "storage/sqlstore", "compat", "schema", "internal/auth"},
	// Transport over the domain, and the OpenAPI document of it.
	"api":         {"internal/registry", "compat", "schema", "srapi", "internal/compatwire"},
	"api/openapi": {},
	// Operations around the router: each piece independent of the domain,
	// except instrument, which wraps the domain service.
	"internal/ops/requestid":  {},
	"internal/ops/health":     {},
	"internal/ops/metrics":    {},
	"internal/ops/ratelimit":  {"srapi"},
	"internal/ops/audit":      {"internal/auth", "internal/ops/requestid"},
	"internal/ops/instrument": {"api", "internal/ops/audit", "compat", "internal/ops/metrics", "internal/registry", "srapi"},
	"internal/ops":            {"internal/ops", "internal/auth", "api/openapi"},
	"internal/ui":             {"internal/auth", "internal/cli/report", "compat", "internal/registry", "schema", "srapi"},
	// Clients of the HTTP API. The runtime serializers (client/serde) sit
	// on the client and the format libraries, never on the server side.
	"client":       {"srapi"},
	"client/serde": {"client", "srapi"},
	"internal/cli": {"internal/cli", "client", "compat", "internal/compatwire", "schema", "srapi"},
	// Assembly and commands.
	"internal/server": {"api", "internal/auth", "internal/ops", "migrations", "internal/registry", "schema", "storage", "internal/ui"},
	"cmd":             {""},
	"e2e":             {""},
	// Test kits: imported by tests only, never by the packages above. A
	// kit may import what it needs to stand up what it serves.
	"internal/golden":            {},
	"internal/clocktest":         {},
	"internal/memtest":           {},
	"internal/server/servertest": {"internal/server", "api", "internal/ops", "internal/registry", "storage"},
	"schema/internal/schematest": {"schema", "internal/memtest"},
}

// testKits are the packages only tests import: a program that linked one
// would carry test scaffolding (and flags, for golden) into production.
// A kit may build on another kit.
var testKits = map[string]bool{
	"internal/golden":            true,
	"internal/clocktest":         true,
	"internal/memtest":           true,
	"internal/server/servertest": true,
	"internal/auth/authtest":     true,
	"storage/storagetest":        true,
	"storage/postgres/pgtest":    true,
	"storage/sqlite/sqlitetest":  true,
	"schema/internal/schematest": true,
}

func TestImportGraph(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		if pkg == "" {
			continue // this test's own package
		}
		rule, ok := ruleFor(pkg)
		if !ok {
			t.Errorf("package %s has no rule in allowed; add one that says what it may import", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			if testKits[dep] && !testKits[pkg] {
				t.Errorf("%s imports the test kit %s; only tests may", pkg, dep)
			}
			if !permitted(rule, dep) {
				t.Errorf("%s imports %s, which the architecture does not allow (see allowed in arch_test.go)", pkg, dep)
			}
		}
	}
}

// ruleFor finds the most specific rule whose key is pkg or a parent of it.
func ruleFor(pkg string) ([]string, bool) {
	best, found := "", false
	for k := range allowed {
		if (pkg == k || strings.HasPrefix(pkg, k+"/")) && len(k) >= len(best) {
			best, found = k, true
		}
	}
	if !found {
		return nil, false
	}
	return allowed[best], true
}

// permitted reports whether dep is allowed by rule; the rule {""} allows
// every package of the module (commands and end-to-end tests).
func permitted(rule []string, dep string) bool {
	for _, a := range rule {
		if a == "" {
			return true
		}
		if dep == a || strings.HasPrefix(dep, a+"/") {
			return true
		}
	}
	return false
}
