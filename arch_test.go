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
	// Formats and the checker: the bottom layer.
	"schema":          {},
	"schema/avro":     {"schema"},
	"schema/protobuf": {"schema"},
	"schema/formats":  {"schema", "schema/avro", "schema/protobuf"},
	"compat":          {"schema", "schema/avro", "schema/protobuf"},
	// The domain.
	"registry": {"schema", "schema/formats", "compat"},
	// Persistence: implements the domain's Store (and auth's token store).
	"migrations": {},
	"storage":    {"registry", "migrations", "storage", "compat", "schema", "auth"},
	// Cross-cutting HTTP pieces, each independent of the domain.
	"requestid": {},
	"health":    {},
	"metrics":   {},
	"ratelimit": {},
	"openapi":   {},
	"auth":      {"auth", "audit"},
	"audit":     {"auth", "requestid"},
	"ops":       {"audit", "auth", "health", "metrics", "openapi", "ratelimit", "requestid"},
	// Transport over the domain.
	"api":        {"registry", "compat", "schema"},
	"instrument": {"api", "audit", "compat", "metrics", "registry"},
	"ui":         {"auth", "cli/report", "compat", "registry", "schema"},
	// Clients of the HTTP API.
	"client": {},
	"cli":    {"cli", "client", "compat", "schema"},
	// Assembly and commands.
	"server": {"api", "auth", "instrument", "metrics", "migrations", "ops", "registry", "requestid", "storage", "ui"},
	"cmd":    {""},
	"e2e":    {""},
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
