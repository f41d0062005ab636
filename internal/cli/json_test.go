package cli

import (
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// JSON Schema fixtures: a customer, and an order that refers to it by the
// reference name customer.json. Line and column numbers in the goldens
// under testdata/json refer to these exact texts.

const jsonCustomer = `{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "email": {"type": "string"}
  }
}
`

const jsonOrderV1 = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "number"},
    "customer": {"$ref": "customer.json"}
  },
  "required": ["id"],
  "additionalProperties": {"type": "string"}
}
`

// jsonOrderCompatible adds an optional string property, which the
// partially open model already allowed under that name.
const jsonOrderCompatible = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "number"},
    "customer": {"$ref": "customer.json"},
    "note": {"type": "string"}
  },
  "required": ["id"],
  "additionalProperties": {"type": "string"}
}
`

// jsonOrderBreaking narrows amount to integers and drops customer, whose
// objects the model's string additionalProperties does not accept: the
// new schema rejects data the old one accepted.
const jsonOrderBreaking = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "integer"}
  },
  "required": ["id"],
  "additionalProperties": {"type": "string"}
}
`

// jsonOrderInvalid is not valid against the 2020-12 meta-schema: a type
// that does not exist, on line 5.
const jsonOrderInvalid = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "strng"}
  }
}
`

const jsonProjectConfig = `registry: http://registry.invalid:8081
subjects:
  - subject: customer-json
    file: schemas/customer.json
    format: json
  - subject: orders-json
    file: schemas/order.schema.json
    format: json
    references:
      - name: customer.json
        file: schemas/customer.json
`

func jsonProject() map[string]string {
	return map[string]string{
		"schemactl.yaml":            jsonProjectConfig,
		"schemas/customer.json":     jsonCustomer,
		"schemas/order.schema.json": jsonOrderV1,
	}
}

// TestJSONSchemaFilesNeedAFormat: .json alone does not say whether a file
// is an Avro schema or a JSON Schema, so the config must; the error points
// at the mapping.
func TestJSONSchemaFilesNeedAFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := jsonProject()
	files["schemactl.yaml"] = strings.Replace(jsonProjectConfig, "    format: json\n", "", 1)
	writeFiles(t, dir, files)
	r := schemactl(t, dir, nil, "lint")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "schemactl.yaml:3:") ||
		!strings.Contains(r.stderr, "set format: json (JSON Schema) or format: avro") {
		t.Errorf("lint without a format for a .json file: %s", r)
	}
	files["schemactl.yaml"] = strings.Replace(jsonProjectConfig, "format: json", "format: yaml", 1)
	writeFiles(t, dir, files)
	if r := schemactl(t, dir, nil, "lint"); r.code != ExitUsage || !strings.Contains(r.stderr, "want avro, protobuf or json") {
		t.Errorf("lint with an unknown format: %s", r)
	}
}

// TestJSONSchemaProjectAgainstTheRegistry registers, checks, diffs and
// lints JSON Schema files (one referring to the other) against a real
// registry, with findings located in the files.
func TestJSONSchemaProjectAgainstTheRegistry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, jsonProject())
	e := env{EnvRegistry: servertest.Start(t).URL()}

	dry := schemactl(t, dir, e, "register", "--dry-run")
	if dry.code != ExitOK {
		t.Fatalf("dry run: %s", dry)
	}
	assertGolden(t, "json/register-dry-run.txt", dry.stdout)
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK || !strings.Contains(r.stdout, "unchanged") {
		t.Fatalf("register again: %s", r)
	}
	if r := schemactl(t, dir, e, "check"); r.code != ExitOK {
		t.Fatalf("check of the registered files: %s", r)
	}
	lint := schemactl(t, dir, e, "lint")
	if lint.code != ExitOK || strings.Count(lint.stdout, ": valid") != 2 {
		t.Errorf("lint: %s", lint)
	}

	writeFiles(t, dir, map[string]string{"schemas/order.schema.json": jsonOrderBreaking})
	check := schemactl(t, dir, e, "check")
	if check.code != ExitBreaking {
		t.Fatalf("check of a breaking change: exit %d, want 1\n%s", check.code, check)
	}
	assertGolden(t, "json/check-registry.txt", check.stdout)
	gh := schemactl(t, dir, e, "check", "--format", "github", "orders-json")
	if gh.code != ExitBreaking || !strings.Contains(gh.stdout, "file=schemas/order.schema.json,line=6,col=") {
		t.Errorf("GitHub annotations do not point at the narrowed type on line 6: %s", gh)
	}
	diff := schemactl(t, dir, e, "diff", "orders-json")
	if diff.code != ExitOK {
		t.Fatalf("diff: %s", diff)
	}
	assertGolden(t, "json/diff.txt", diff.stdout)
	if r := schemactl(t, dir, e, "register", "orders-json"); r.code != ExitBreaking {
		t.Errorf("registering the breaking change: %s", r)
	}
	if r := schemactl(t, dir, e, "lint", "--additive", "orders-json"); r.code != ExitBreaking || !strings.Contains(r.stdout, "JSON_ADDITIVE_") {
		t.Errorf("lint --additive against the registry: %s", r)
	}

	writeFiles(t, dir, map[string]string{"schemas/order.schema.json": jsonOrderCompatible})
	if r := schemactl(t, dir, e, "register", "orders-json"); r.code != ExitOK {
		t.Fatalf("registering an optional property: %s", r)
	}
	got := schemactl(t, dir, e, "get", "orders-json")
	if got.code != ExitOK || !strings.Contains(got.stdout, `"note":{"type":"string"}`) {
		t.Errorf("get: %s", got)
	}

	writeFiles(t, dir, map[string]string{"schemas/order.schema.json": jsonOrderInvalid})
	bad := schemactl(t, dir, e, "lint", "orders-json")
	if bad.code != ExitUsage || !strings.Contains(bad.stdout+bad.stderr, "schemas/order.schema.json:5:") {
		t.Errorf("lint of an invalid JSON Schema: %s", bad)
	}
}

// TestJSONSchemaCheckAgainstGit checks JSON Schema files against a git
// baseline, with no registry.
func TestJSONSchemaCheckAgainstGit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, jsonProject())
	breakAgainstGit(t, dir, "schemas/order.schema.json", jsonOrderBreaking, "json/check-git.txt")

	// A change to the referenced customer re-checks the order through
	// its reference.
	writeFiles(t, dir, map[string]string{
		"schemas/order.schema.json": jsonOrderV1,
		"schemas/customer.json":     strings.Replace(jsonCustomer, `"email": {"type": "string"}`, `"email": {"type": "string", "maxLength": 10}`, 1),
	})
	r := checkChangedSinceMain(t, dir, ExitBreaking, "customer-json", "orders-json")
	if !strings.Contains(r.stdout, "JSON_MAX_LENGTH_NARROWED") {
		t.Errorf("the new maxLength should be reported: %s", r.stdout)
	}
	if r := schemactl(t, dir, nil, "check", "--against", "git:main", "--additive", "customer-json"); r.code != ExitBreaking {
		t.Errorf("--additive: %s", r)
	}
}

// TestJSONSchemaConsumerCommands declares consumers of a JSON Schema
// subject (a reader schema with format: json, and property paths),
// deprecates a property by its field path, and runs the backfill check.
func TestJSONSchemaConsumerCommands(t *testing.T) {
	t.Parallel()
	url := servertest.Start(t).URL()
	dir := t.TempDir()
	files := jsonProject()
	files["schemactl.yaml"] = "registry: " + url + "\n" + strings.TrimPrefix(jsonProjectConfig, "registry: http://registry.invalid:8081\n") + `consumers:
  - name: orders-etl
    owner: data-platform
    reads:
      - subject: orders-json
        reader: readers/order.json
        format: json
        backfill: 30d
`
	files["readers/order.json"] = `{"type": "object", "properties": {"id": {"type": "string"}, "amount": {"type": "number"}}}`
	writeFiles(t, dir, files)
	if r := schemactl(t, dir, nil, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	runSteps(t, dir, nil, []step{
		{"ApplyReaderConsumer", []string{"consumer", "apply"}, ExitOK, []string{"created consumer orders-etl"}},
		{"RegisterPathConsumer", []string{"consumer", "register", "billing", "--owner", "finance", "--subject", "orders-json", "--fields", "amount,customer.email"}, ExitOK, []string{"created consumer billing"}},
		{"PathThatLeadsNowhere", []string{"consumer", "register", "typo", "--owner", "finance", "--subject", "orders-json", "--fields", "customer.mail"}, ExitUsage, nil},
		{"DeprecateByFieldPath", []string{"deprecate", "orders-json", "--path", "amount", "--sunset", "2099-01-01"}, ExitOK, []string{"/properties/amount"}},
		{"ReportNamesBothReaders", []string{"deprecations", "report", "--format", "json"}, ExitOK, []string{`"path": "/properties/amount"`, `"name": "orders-etl"`, `"name": "billing"`}},
		{"BackfillCheckPasses", []string{"check", "--consumer", "orders-etl"}, ExitOK, []string{"orders-json"}},
	})

	// A reader that closes its content model cannot read what version 1
	// allows under undeclared names: breaking, located in the reader file.
	writeFiles(t, dir, map[string]string{"readers/order.json": `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`})
	r := schemactl(t, dir, nil, "check", "--consumer", "orders-etl")
	if r.code != ExitBreaking || !strings.Contains(r.stdout, "CONSUMER_READER_INCOMPATIBLE") || !strings.Contains(r.stdout, "readers/order.json") {
		t.Errorf("check --consumer with a closed reader: %s", r)
	}
}
