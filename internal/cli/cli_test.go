package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/compat"
)

func TestConfigErrorsAreLocated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		config string
		// want is a regexp the error must match: file:line and message.
		want string
	}{
		{"MalformedYAML", "registry: http://x\nsubjects:\n  - subject: a\n    file: [unclosed\n", `^schemactl: schemactl\.yaml:4:\d+: `},
		{"BadIndentation", "subjects:\n  - subject: a\n   file: a.avsc\n", `^schemactl: schemactl\.yaml:3:\d+: `},
		{"UnknownField", "registry: http://x\nsubjects:\n  - subject: a\n    file: a.avsc\n    fiel: b\n", `^schemactl: schemactl\.yaml:5:\d+: .*fiel`},
		{"MissingFile", "subjects:\n  - subject: a\n    file: a.avsc\n  - subject: b\n", `^schemactl: schemactl\.yaml:4:\d+: subject "b": file is required`},
		{"DuplicateSubject", "subjects:\n  - subject: a\n    file: a.avsc\n  - subject: a\n    file: b.avsc\n", `^schemactl: schemactl\.yaml:4:\d+: subject "a" is mapped twice`},
		{"UnknownExtension", "subjects:\n  - subject: a\n    file: a.txt\n", `^schemactl: schemactl\.yaml:2:\d+: subject "a": cannot tell the format`},
		{"UnmappedFileReference", "subjects:\n  - subject: a\n    file: a.proto\n    references:\n      - name: b.proto\n        file: b.proto\n", `^schemactl: schemactl\.yaml:6:\d+: .*file b\.proto is not mapped`},
		{"ReferenceWithoutVersion", "subjects:\n  - subject: a\n    file: a.proto\n    references:\n      - name: b.proto\n        subject: b\n", `^schemactl: schemactl\.yaml:5:\d+: .*needs a version`},
		{"BadLocalLevel", "local:\n  level: SIDEWAYS\nsubjects: []\n", `^schemactl: schemactl\.yaml:2:\d+: invalid compatibility level`},
		{"ReferenceCycle", "subjects:\n  - subject: a\n    file: a.proto\n    references: [{name: b.proto, file: b.proto}]\n  - subject: b\n    file: b.proto\n    references: [{name: a.proto, file: a.proto}]\n", `^schemactl: schemactl\.yaml: references form a cycle`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"schemactl.yaml": tt.config})
			r := schemactl(t, dir, nil, "check", "--against", ".")
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want %d\n%s", r.code, ExitUsage, r)
			}
			if !regexp.MustCompile(tt.want).MatchString(r.stderr) {
				t.Errorf("stderr = %q, want match for %q", r.stderr, tt.want)
			}
		})
	}
}

func TestConfigIsFoundFromSubdirectories(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	writeFiles(t, dir, map[string]string{"base/schemas/order.avsc": orderV1, "deep/er/.keep": ""})
	r := schemactl(t, filepath.Join(dir, "deep", "er"), nil, "check", "--against", "../../base", "orders-value")
	if r.code != ExitOK {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.stdout, "../../schemas/order.avsc") {
		t.Errorf("paths are not shown relative to the working directory:\n%s", r.stdout)
	}
	if r := schemactl(t, t.TempDir(), nil, "check", "--against", "."); r.code != ExitUsage || !strings.Contains(r.stderr, "no schemactl.yaml found") {
		t.Errorf("without a config: %s", r)
	}
}

func TestUnreachableRegistryExits3(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	url := closedPort(t)
	tests := []struct {
		name string
		args []string
	}{
		{"Check", []string{"check", "--registry", url, "--timeout", "2s"}},
		{"Register", []string{"register", "--registry", url}},
		{"Get", []string{"get", "orders-value", "--registry", url}},
		{"ConfigGet", []string{"config", "get", "--registry", url}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := schemactl(t, dir, nil, tt.args...)
			if r.code != ExitRegistry {
				t.Fatalf("exit %d, want %d\n%s", r.code, ExitRegistry, r)
			}
			if !strings.Contains(r.stdout+r.stderr, "unreachable") {
				t.Errorf("output does not say the registry is unreachable:\n%s", r)
			}
		})
	}
}

func TestRegistryURLPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, baseProject()) // the config names registry.invalid
	flagURL, envURL := closedPort(t), closedPort(t)
	tests := []struct {
		name string
		env  env
		args []string
		want string
	}{
		{"ConfigFile", nil, nil, "registry.invalid"},
		{"EnvOverridesConfig", env{EnvRegistry: envURL}, nil, envURL},
		{"FlagOverridesEnv", env{EnvRegistry: envURL}, []string{"--registry", flagURL}, flagURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := schemactl(t, dir, tt.env, append([]string{"check", "-f", "json", "users-value"}, tt.args...)...)
			if r.code != ExitRegistry || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("want exit 3 naming %s:\n%s", tt.want, r)
			}
		})
	}
}

func TestSchemaParseErrorExits2WithLocation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := baseProject()
	files["schemas/order.avsc"] = orderInvalid
	writeFiles(t, dir, files)
	writeFiles(t, dir, map[string]string{"base/schemas/order.avsc": orderV1})
	r := schemactl(t, dir, nil, "check", "--against", "base", "orders-value")
	if r.code != ExitUsage {
		t.Fatalf("exit %d, want 2\n%s", r.code, r)
	}
	if !regexp.MustCompile(`(?m)^schemas/order\.avsc:6:\d+: .*\(SCHEMA_INVALID\)$`).MatchString(r.stdout) {
		t.Errorf("parse error is not located at line 6:\n%s", r)
	}
	// Lint reports the same.
	r = schemactl(t, dir, nil, "lint", "orders-value")
	if r.code != ExitUsage || !strings.Contains(r.stdout, "schemas/order.avsc:6:") {
		t.Errorf("lint: %s", r)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"UnknownCommand", []string{"chekc"}, "unknown command"},
		{"UnknownFlag", []string{"check", "--nope"}, "unknown flag"},
		{"BadFormat", []string{"check", "--format", "xml"}, "unknown output format"},
		{"BadLevel", []string{"check", "--against", ".", "--level", "SIDEWAYS"}, "invalid compatibility level"},
		{"UnmappedSubject", []string{"check", "--against", ".", "nope-value"}, `subject "nope-value" is not mapped`},
		{"AgainstMissingDir", []string{"check", "--against", "missing"}, "not a directory"},
		{"BadColor", []string{"rules", "--color", "pink"}, "--color"},
		{"GetNeedsSubject", []string{"get"}, "accepts 1 arg"},
		{"ConfigSetNothing", []string{"config", "set", "x"}, "nothing to set"},
		{"BothCredentials", []string{"get", "x"}, "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := env{}
			if tt.name == "BothCredentials" {
				e = env{EnvToken: "t", EnvUser: "u"}
			}
			r := schemactl(t, dir, e, tt.args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("want exit 2 and %q:\n%s", tt.want, r)
			}
		})
	}
}

func TestRulesListsEveryRule(t *testing.T) {
	t.Parallel()
	r := schemactl(t, t.TempDir(), nil, "rules")
	if r.code != ExitOK {
		t.Fatalf("%s", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "PURPOSE") {
		t.Errorf("header = %q", lines[0])
	}
	rules := compat.Rules()
	if len(lines)-1 != len(rules) {
		t.Errorf("%d rows, want %d rules", len(lines)-1, len(rules))
	}
	for i, rule := range rules {
		if i+1 < len(lines) && !strings.HasPrefix(lines[i+1], rule.ID+" ") {
			t.Errorf("row %d = %q, want rule %s", i+1, lines[i+1], rule.ID)
		}
	}
}

func TestVersionAndCompletion(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"VersionCommand", []string{"version"}, "schemactl " + version() + "\n"},
		{"VersionFlag", []string{"--version"}, "schemactl " + version() + "\n"},
		{"BashCompletion", []string{"completion", "bash"}, "# bash completion V2 for schemactl"},
		{"CompletesSubjects", []string{"__complete", "check", "pay"}, "payments-value\n:4\n"},
		{"CompletesFormats", []string{"__complete", "check", "--format", "s"}, "sarif\n:4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := schemactl(t, dir, nil, tt.args...)
			if r.code != ExitOK || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("want %q in stdout:\n%s", tt.want, r)
			}
		})
	}
}
