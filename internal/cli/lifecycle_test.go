package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

const lifecycleOrder = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
	`{"name":"id","type":"long"},{"name":"note","type":"string","default":""},{"name":"comment","type":"string","default":""}]}`

// TestDeprecationCommands drives deprecate, deprecations list, get and
// delete through the CLI against a registry that keeps an audit trail: a
// replacement is checked like a path, a sunset in the past or earlier than
// the current one needs --force, and a forced change is audited with its
// subject, path, old and new date.
func TestDeprecationCommands(t *testing.T) {
	t.Parallel()
	auditFile := filepath.Join(t.TempDir(), "audit.log")
	url := servertest.Start(t, servertest.WithConfig(server.Config{Ops: ops.Config{AuditLog: auditFile}})).URL()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"schemactl.yaml":     "registry: " + url + "\nsubjects:\n  - subject: orders-value\n    file: schemas/order.avsc\n",
		"schemas/order.avsc": lifecycleOrder,
	})
	e := env{}
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	steps := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"UnknownReplacement", []string{"deprecate", "orders-value", "--path", "note", "--replacement", "Order.nothing"}, ExitUsage, "",
			"Replacement Order.nothing: subject orders-value has no element Order.nothing in its latest version 1"},
		{"UnknownReplacementSubject", []string{"deprecate", "orders-value", "--path", "note", "--replacement", "elsewhere:comment"}, ExitUsage, "",
			"subject elsewhere has no live version"},
		{"Deprecate", []string{"deprecate", "orders-value", "--path", "note", "--sunset", "2099-01-01", "--replacement", "comment", "--reason", "free text"}, ExitOK,
			"recorded deprecation 1 of orders-value Order.note (sunset 2099-01-01)", ""},
		{"EarlierSunsetRefused", []string{"deprecate", "orders-value", "--path", "note", "--sunset", "2098-01-01", "--replacement", "comment"}, ExitUsage, "",
			"Sunset 2098-01-01 is earlier than the current sunset 2099-01-01 of subject orders-value Order.note: it may make removing it legal at once; repeat with force=true"},
		{"PastSunsetRefused", []string{"deprecate", "orders-value", "--path", "note", "--sunset", "2020-01-01"}, ExitUsage, "",
			"Sunset 2020-01-01 is not in the future"},
		{"EarlierSunsetForced", []string{"deprecate", "orders-value", "--path", "note", "--sunset", "2098-01-01", "--replacement", "comment", "--reason", "free text", "--force"}, ExitOK,
			"updated deprecation 1 of orders-value Order.note (sunset 2098-01-01)", ""},
		{"DeprecateVersion", []string{"deprecate", "orders-value", "--version", "1", "--reason", "v1 is old"}, ExitOK,
			"recorded deprecation 2 of orders-value version 1", ""},
		{"ListJSON", []string{"deprecations", "list", "--format", "json"}, ExitOK, `"replacement": "Order.comment"`, ""},
		{"ListBadFormat", []string{"deprecations", "list", "--format", "xml"}, ExitUsage, "", "--format must be text or json"},
		{"Get", []string{"deprecations", "get", "1"}, ExitOK, `"sunset": "2098-01-01T00:00:00Z"`, ""},
		{"GetNotAnID", []string{"deprecations", "get", "note"}, ExitUsage, "", `"note" is not a deprecation id`},
		{"Delete", []string{"deprecations", "delete", "1"}, ExitOK, "deleted deprecation 1 of orders-value Order.note (sunset 2098-01-01)", ""},
		{"GetDeleted", []string{"deprecations", "get", "1"}, ExitUsage, "", "Deprecation 1 not found"},
		{"DeleteAgain", []string{"deprecations", "delete", "1"}, ExitUsage, "", "Deprecation 1 not found"},
	}
	for _, s := range steps {
		r := schemactl(t, dir, e, s.args...)
		if r.code != s.code || !strings.Contains(r.stdout, s.wantStdout) || !strings.Contains(r.stderr, s.wantStderr) {
			t.Errorf("%s: got %s\nwant exit %d, stdout with %q, stderr with %q", s.name, r, s.code, s.wantStdout, s.wantStderr)
		}
	}

	list := schemactl(t, dir, e, "deprecations", "list")
	if list.code != ExitOK {
		t.Fatalf("list: %s", list)
	}
	assertGolden(t, "deprecations/list.txt", strings.ReplaceAll(list.stdout, time.Now().UTC().Format(time.DateOnly), "TODAY"))

	b, err := os.ReadFile(auditFile)
	if err != nil {
		t.Fatal(err)
	}
	var forced, deleted bool
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, `"action":"deprecation.set"`) && strings.Contains(line, `"forced":true`) {
			forced = true
			for _, want := range []string{`"subject":"orders-value"`, `"path":"Order.note"`, `"old_sunset":"2099-01-01"`, `"new_sunset":"2098-01-01"`, `"outcome":"success"`} {
				if !strings.Contains(line, want) {
					t.Errorf("forced audit record lacks %s: %s", want, line)
				}
			}
		}
		deleted = deleted || strings.Contains(line, `"action":"deprecation.delete"`) && strings.Contains(line, `"target":"1"`)
	}
	if !forced || !deleted {
		t.Errorf("audit trail lacks the forced sunset (%v) or the delete (%v):\n%s", forced, deleted, b)
	}
}

// TestInfrastructureErrorsOnceWithAHint: a registry that cannot answer, a
// registry that wants credentials and a git ref that is not there are each
// reported once, before any subject, with a hint at the usual cause.
func TestInfrastructureErrorsOnceWithAHint(t *testing.T) {
	t.Parallel()
	secured := servertest.Start(t, servertest.WithAuth([]servertest.User{{Name: "ci", Password: "secret", Grants: []string{"reader:*"}}}, "")).URL()
	tests := []struct {
		name    string
		env     env
		args    []string
		code    int
		wantErr []string
	}{
		{"Unreachable", env{EnvRegistry: closedPort(t)}, []string{"check"}, ExitRegistry,
			[]string{"schema registry unreachable: GET http://REGISTRY/subjects?limit=500&offset=0: dial tcp", "hint: check the registry URL"}},
		{"MissingCredentials", env{EnvRegistry: secured}, []string{"check"}, ExitUsage,
			[]string{"HTTP 401", "hint: the registry wants credentials: set SCHEMACTL_TOKEN"}},
		{"GitRefMissing", env{}, []string{"check", "--against", "git:origin/main"}, ExitUsage,
			[]string{`--against git:origin/main: git ref "origin/main" not found`, "hint: fetch it first (git fetch origin main)"}},
		{"ChangedSinceRefMissing", env{}, []string{"check", "--changed-since", "origin/main"}, ExitUsage,
			[]string{`--changed-since origin/main: git ref "origin/main" not found`, "hint:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := baseProjectDir(t)
			gitRepo(t, dir)
			r := schemactl(t, dir, tt.env, tt.args...)
			stderr := scrub(r.stderr)
			if r.code != tt.code || strings.Count(stderr, "hint:") != 1 {
				t.Fatalf("want exit %d and one hint: %s", tt.code, r)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, r)
				}
			}
			if strings.Contains(r.stdout, "orders-value") || strings.Count(stderr, "http://REGISTRY") > 1 {
				t.Errorf("reported per subject, or with the URL twice: %s", r)
			}
		})
	}

	// A shallow clone says so.
	dir := baseProjectDir(t)
	gitRepo(t, dir)
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderCompatible})
	commitAll(t, dir, "second")
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, clone)
	r := schemactl(t, clone, nil, "check", "--against", "git:HEAD~1")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "shallow checkout") || !strings.Contains(r.stderr, "fetch-depth: 0") {
		t.Errorf("shallow clone: %s", r)
	}
}

// TestHelpTextsNameNoSourceFiles: no help text of any command mentions a
// Go source file.
func TestHelpTextsNameNoSourceFiles(t *testing.T) {
	t.Parallel()
	goFile := regexp.MustCompile(`\b[\w-]+\.go\b`)
	var walk func(path []string, c *cobra.Command)
	walk = func(path []string, c *cobra.Command) {
		r := schemactl(t, t.TempDir(), nil, append(path, "--help")...)
		if m := goFile.FindString(r.stdout + r.stderr); m != "" {
			t.Errorf("schemactl %s --help mentions %s", strings.Join(path, " "), m)
		}
		for _, sub := range c.Commands() {
			if !sub.Hidden && sub.Name() != "help" {
				walk(append(append([]string{}, path...), sub.Name()), sub)
			}
		}
	}
	a := &app{}
	walk(nil, a.rootCommand())
}

// TestRegisterChecksEverythingFirst: register and its dry run check every
// schema as the registry will before writing anything, so one refusal
// registers nothing; a registration that still fails midway (a schema the
// registry can check only once what it references is registered) says
// what was and was not registered, and re-running completes it.
func TestRegisterChecksEverythingFirst(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)

	// users gains a field (fine), orders breaks: nothing is registered.
	writeFiles(t, dir, map[string]string{
		"schemas/user.avsc":  strings.Replace(userV1, `{"name": "id", "type": "long"}`, `{"name": "id", "type": "long"}, {"name": "nick", "type": "string", "default": ""}`, 1),
		"schemas/order.avsc": orderBreaking,
	})
	for _, args := range [][]string{{"register", "--dry-run"}, {"register"}} {
		r := schemactl(t, dir, e, args...)
		if r.code != ExitBreaking || !strings.Contains(r.stdout, "AVRO_ADDITIVE_FIELD_WITHOUT_DEFAULT") || !strings.Contains(r.stderr, "1 schema would be refused; nothing was registered") {
			t.Errorf("%v: %s", args, r)
		}
	}
	if r := schemactl(t, dir, e, "get", "users-value", "--version", "2"); r.code != ExitUsage {
		t.Errorf("users-value was registered although orders-value is refused: %s", r)
	}
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderV1})

	// common gains a message and payment breaks: payment references common,
	// so the registry can check it only once common's new version exists.
	writeFiles(t, dir, map[string]string{
		"schemas/common.proto":  commonProto + "\nmessage Extra {}\n",
		"schemas/payment.proto": paymentBreaking,
	})
	r := schemactl(t, dir, e, "register")
	if r.code != ExitBreaking {
		t.Fatalf("midway failure: %s", r)
	}
	assertGolden(t, "register/midway.txt", r.String())

	writeFiles(t, dir, map[string]string{"schemas/payment.proto": paymentProto})
	r = schemactl(t, dir, e, "register")
	if r.code != ExitOK {
		t.Fatalf("re-run: %s", r)
	}
	assertGolden(t, "register/completed.txt", r.String())
}

// TestConsumerApplyValidatesFirst: consumer apply refuses a bad
// declaration at its schemactl.yaml line and column before writing
// anything: unknown keys, a missing owner, a bad backfill window, a
// subject the registry lacks, and a field path the latest version lacks
// (unless --allow-unknown).
func TestConsumerApplyValidatesFirst(t *testing.T) {
	t.Parallel()
	url := servertest.Start(t).URL()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"schemactl.yaml":     "registry: " + url + "\nsubjects:\n  - subject: orders-value\n    file: order.avsc\n",
		"order.avsc":         lifecycleOrder,
		"readers/order.avsc": lifecycleOrder,
	})
	if r := schemactl(t, dir, nil, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	const head = "registry: REGISTRY\nconsumers:\n  - name: billing-etl\n"
	tests := []struct {
		name  string
		decl  string
		args  []string
		code  int
		want  string
		wrote bool
	}{
		{"UnknownKey", "    owner: finance\n    reads:\n      - subject: orders-value\n        fields: [id]\n        backfil: 30d\n", nil, ExitUsage,
			`schemactl.yaml:8:9: unknown field "backfil"`, false},
		{"MissingOwner", "    reads:\n      - subject: orders-value\n        fields: [id]\n", nil, ExitUsage,
			"schemactl.yaml:3:9: consumer billing-etl: owner is required", false},
		{"BadBackfill", "    owner: finance\n    reads:\n      - subject: orders-value\n        fields: [id]\n        backfill: 3 months\n", nil, ExitUsage,
			`schemactl.yaml:8:19: consumer billing-etl reading orders-value: invalid backfill window "3 months"`, false},
		{"ReaderAndFields", "    owner: finance\n    reads:\n      - subject: orders-value\n        reader: readers/order.avsc\n        fields: [id]\n", nil, ExitUsage,
			"schemactl.yaml:6:16: consumer billing-etl reading orders-value: give either reader", false},
		{"UnknownSubject", "    owner: finance\n    reads:\n      - subject: order-value\n        fields: [id]\n", nil, ExitUsage,
			"schemactl.yaml:6:18: consumer billing-etl reads subject order-value, which the registry does not have", false},
		{"UnknownField", "    owner: finance\n    reads:\n      - subject: orders-value\n        fields: [id, Order.notes]\n", nil, ExitUsage,
			"schemactl.yaml:7:22: consumer billing-etl reads Order.notes, which version 1 of orders-value does not have (--allow-unknown lets it through)", false},
		{"UnknownFieldAllowed", "    owner: finance\n    reads:\n      - subject: orders-value\n        fields: [id, Order.notes]\n", []string{"--allow-unknown"}, ExitOK,
			"created consumer billing-etl", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: each case starts from a registry with no consumer.
			writeFiles(t, dir, map[string]string{"schemactl.yaml": strings.Replace(head, "REGISTRY", url, 1) + tt.decl})
			r := schemactl(t, dir, nil, append([]string{"consumer", "apply"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("want exit %d with %q:\n%s", tt.code, tt.want, r)
			}
			list := schemactl(t, dir, nil, "consumer", "list")
			if strings.Contains(list.stdout, "billing-etl") != tt.wrote {
				t.Errorf("consumer registered = %v, want %v:\n%s", !tt.wrote, tt.wrote, list)
			}
			if tt.wrote {
				schemactl(t, dir, nil, "consumer", "delete", "billing-etl")
			}
		})
	}
}
