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
	"schema":          {},
	"schema/avro":     {"schema"},
	"schema/protobuf": {"schema"},
	"schema/formats":  {"schema", "schema/avro", "schema/protobuf"},
	"compat":          {"schema", "schema/avro", "schema/protobuf"},
	"registry":        {"schema", "schema/formats", "schema/avro", "schema/protobuf", "compat"},
	"migrations":      {},
	"storage":         {"registry", "migrations", "storage", "compat", "schema", "auth"},
	"api":             {"registry", "compat", "schema", "api"},
	"client":          {"compat", "schema"},
	// Operations: leaf packages that know nothing of the domain, glue that
	// does (instrument), and their assembly (ops).
	"auth":          {},
	"auth/authhttp": {"auth", "audit"},
	"auth/authtest": {"auth"},
	"audit":         {"auth", "requestid"},
	"requestid":     {},
	"metrics":       {},
	"health":        {},
	"ratelimit":     {},
	"openapi":       {},
	"instrument":    {"api", "audit", "compat", "metrics", "registry"},
	"ops":           {"auth", "audit", "health", "metrics", "openapi", "ratelimit", "requestid"},
}

func TestImportGraph(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		rule, ok := ruleFor(pkg)
		if !ok {
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
	best := ""
	for k := range allowed {
		if (pkg == k || strings.HasPrefix(pkg, k+"/")) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return nil, false
	}
	return allowed[best], true
}

func permitted(rule []string, dep string) bool {
	for _, a := range rule {
		if dep == a || strings.HasPrefix(dep, a+"/") {
			return true
		}
	}
	return false
}
