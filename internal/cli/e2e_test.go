package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// registeredProject starts a registry, writes the base project into a
// temporary directory and registers it.
func registeredProject(t *testing.T) (dir string, e env) {
	t.Helper()
	dir = t.TempDir()
	writeFiles(t, dir, baseProject())
	e = env{EnvRegistry: servertest.Start(t).URL()}
	if r := schemactl(t, dir, e, "register"); r.code != ExitOK {
		t.Fatalf("register: %s", r)
	}
	return dir, e
}

func TestRegisterInReferenceOrderAndIdempotently(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	e := env{EnvRegistry: servertest.Start(t).URL()}

	dry := schemactl(t, dir, e, "register", "--dry-run")
	if dry.code != ExitOK {
		t.Fatalf("dry run: %s", dry)
	}
	assertGolden(t, "register/dry-run.txt", dry.stdout)
	if r := schemactl(t, dir, e, "get", "orders-value"); r.code != ExitUsage || !strings.Contains(r.stderr, "40401") {
		t.Errorf("a dry run registered something: %s", r)
	}

	first := schemactl(t, dir, e, "register")
	if first.code != ExitOK {
		t.Fatalf("register: %s", first)
	}
	assertGolden(t, "register/first.txt", first.stdout)
	again := schemactl(t, dir, e, "register")
	if again.code != ExitOK {
		t.Fatalf("register again: %s", again)
	}
	assertGolden(t, "register/again.txt", again.stdout)

	// A breaking change is refused with exit 1.
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderBreaking})
	if r := schemactl(t, dir, e, "register", "orders-value"); r.code != ExitBreaking || !strings.Contains(r.stdout, "incompatible") || !strings.Contains(r.stderr, "nothing was registered") {
		t.Errorf("breaking register: %s", r)
	}
}

// breakingChanges edits a registered project: orders breaks, payments
// gains nothing, users is unchanged, and a new subject appears.
func breakingChanges(t *testing.T, dir string) {
	t.Helper()
	writeFiles(t, dir, map[string]string{
		"schemas/order.avsc": orderBreaking,
		"schemas/new.avsc":   strings.ReplaceAll(userV1, "User", "Fresh"),
		"schemactl.yaml":     projectConfig + "  - subject: fresh-value\n    file: schemas/new.avsc\n",
	})
}

func TestCheckAgainstRegistryInEveryFormat(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	if r := schemactl(t, dir, e, "check"); r.code != ExitOK {
		t.Fatalf("unchanged project: %s", r)
	}
	breakingChanges(t, dir)
	goldens := map[report.Format]string{
		report.Text: "check/registry.txt", report.JSON: "check/registry.json", report.GitHub: "check/registry.github.txt",
		report.JUnit: "check/registry.junit.xml", report.SARIF: "check/registry.sarif",
	}
	for _, format := range report.Formats {
		t.Run(string(format), func(t *testing.T) {
			r := schemactl(t, dir, e, "check", "--format", string(format))
			if r.code != ExitBreaking {
				t.Fatalf("exit %d, want 1\n%s", r.code, r)
			}
			assertGolden(t, goldens[format], r.stdout)
		})
	}
}

func TestCheckFindingsPointIntoTheFile(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	breakingChanges(t, dir)
	r := schemactl(t, dir, e, "check", "--format", "json", "orders-value", "fresh-value")
	if r.code != ExitBreaking {
		t.Fatalf("%s", r)
	}
	var doc struct {
		Version  int `json:"version"`
		Subjects []struct {
			Subject  string `json:"subject"`
			Status   string `json:"status"`
			Findings []struct {
				RuleID string `json:"ruleId"`
				Path   string `json:"path"`
				New    *struct{ Line, Column int }
			} `json:"findings"`
		} `json:"subjects"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Subjects) != 2 {
		t.Fatalf("document: %+v", doc)
	}
	orders, fresh := doc.Subjects[0], doc.Subjects[1]
	if fresh.Status != "new" {
		t.Errorf("an unregistered subject is %q, want new", fresh.Status)
	}
	if orders.Status != "incompatible" || len(orders.Findings) == 0 {
		t.Fatalf("orders: %+v", orders)
	}
	// The added field "price" is on line 8 of orderBreaking.
	placed := false
	for _, f := range orders.Findings {
		if f.New != nil && f.New.Line == 8 {
			placed = true
		}
	}
	if !placed {
		t.Errorf("no finding points at line 8 (the field without a default): %+v", orders.Findings)
	}
}

func TestGitHubFormatWritesStepSummary(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	breakingChanges(t, dir)
	summary := filepath.Join(t.TempDir(), "summary.md")
	e[`GITHUB_STEP_SUMMARY`] = summary
	e[`GITHUB_WORKSPACE`] = filepath.Dir(dir)
	r := schemactl(t, filepath.Join(dir, "schemas"), e, "check", "--format", "github")
	if r.code != ExitBreaking {
		t.Fatalf("%s", r)
	}
	// Annotations name files relative to the workspace, not the working
	// directory.
	rel := filepath.Base(dir) + "/schemas/order.avsc"
	if !strings.Contains(r.stdout, "::error file="+rel+",line=8,") {
		t.Errorf("annotation paths are not workspace-relative:\n%s", r.stdout)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	assertGolden(t, "check/summary.md", strings.ReplaceAll(string(b), filepath.Base(dir), "PROJECT"))
}

func TestCheckAgainstGitBaseline(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	breakAgainstGit(t, dir, "schemas/order.avsc", orderBreaking, "check/git.txt")

	// --changed-since checks only what changed.
	checkChangedSinceMain(t, dir, ExitBreaking, "orders-value")

	// A change to a referenced file re-checks its dependents.
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderV1, "schemas/common.proto": commonProto + "\nmessage Extra {}\n"})
	checkChangedSinceMain(t, dir, ExitOK, "common-value", "payments-value")

	// A protobuf type change is caught through the import.
	writeFiles(t, dir, map[string]string{"schemas/payment.proto": paymentBreaking})
	r := schemactl(t, dir, nil, "check", "--against", "git:main", "payments-value")
	if r.code != ExitBreaking || !strings.Contains(r.stdout, "schemas/payment.proto:7:") {
		t.Errorf("proto type change: %s", r)
	}

	if r := schemactl(t, dir, nil, "check", "--against", "git:no-such-ref"); r.code != ExitUsage {
		t.Errorf("unknown ref: %s", r)
	}
}

// breakAgainstGit makes dir a git repository whose main holds the files
// as they are, then writes text to file and checks against git:main: the
// change must be breaking, and the text report as in goldenFile.
func breakAgainstGit(t *testing.T, dir, file, text, goldenFile string) {
	t.Helper()
	gitRepo(t, dir)
	writeFiles(t, dir, map[string]string{file: text})
	r := schemactl(t, dir, nil, "check", "--against", "git:main")
	if r.code != ExitBreaking {
		t.Fatalf("exit %d, want 1\n%s", r.code, r)
	}
	assertGolden(t, goldenFile, r.stdout)
}

// checkChangedSinceMain checks against git:main what changed since main,
// as JSON: the run must exit with code and report exactly the subjects
// want, in order. It returns the run.
func checkChangedSinceMain(t *testing.T, dir string, code int, want ...string) result {
	t.Helper()
	r := schemactl(t, dir, nil, "check", "--against", "git:main", "--changed-since", "main", "--format", "json")
	if r.code != code {
		t.Fatalf("%s", r)
	}
	if got := subjectsOf(t, r.stdout); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("changed since main: %v, want %v", got, want)
	}
	return r
}

func subjectsOf(t *testing.T, jsonReport string) []string {
	t.Helper()
	var doc struct {
		Subjects []struct{ Subject string } `json:"subjects"`
	}
	if err := json.Unmarshal([]byte(jsonReport), &doc); err != nil {
		t.Fatalf("%v\n%s", err, jsonReport)
	}
	var out []string
	for _, s := range doc.Subjects {
		out = append(out, s.Subject)
	}
	return out
}

func TestCheckAgainstDirectoryWithAdditivePolicy(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	writeFiles(t, dir, map[string]string{"base/schemas/order.avsc": orderV1})
	// Removing a field is backward compatible, but not additive; offline
	// checks apply the registry's shipped default, BACKWARD plus the
	// additive-only policy, unless told otherwise.
	removed := strings.Replace(orderV1, ",\n    {\"name\": \"amount\", \"type\": \"double\"}", "", 1)
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": removed})
	r := schemactl(t, dir, nil, "check", "--against", "base", "orders-value")
	if r.code != ExitBreaking || !strings.Contains(r.stdout, "AVRO_ADDITIVE_FIELD_REMOVED") {
		t.Errorf("default (BACKWARD + additive): %s", r)
	}
	if r := schemactl(t, dir, nil, "check", "--against", "base", "--additive=false", "orders-value"); r.code != ExitOK {
		t.Errorf("plain BACKWARD: %s", r)
	}
	// The policy comes from the config when no flag is given.
	writeFiles(t, dir, map[string]string{"schemactl.yaml": "local:\n  additive: false\n" + projectConfig})
	if r := schemactl(t, dir, nil, "check", "--against", "base", "orders-value"); r.code != ExitOK {
		t.Errorf("local.additive: false in config: %s", r)
	}
	if r := schemactl(t, dir, nil, "check", "--against", "base", "--additive", "orders-value"); r.code != ExitBreaking {
		t.Errorf("--additive overrides the config: %s", r)
	}
}

// TestRemovedElementsLandOnALine: a finding about a removed field points
// at the nearest enclosing line of the new text (the record or message
// that held it) and says where the field was in the old one, in every
// format CI reads, for Avro and Protobuf.
func TestRemovedElementsLandOnALine(t *testing.T) {
	t.Parallel()
	dir := baseProjectDir(t)
	writeFiles(t, dir, map[string]string{"base/schemas/order.avsc": orderV1, "base/schemas/payment.proto": paymentProto, "base/schemas/common.proto": commonProto})
	writeFiles(t, dir, map[string]string{
		"schemas/order.avsc":    strings.Replace(orderV1, ",\n    {\"name\": \"amount\", \"type\": \"double\"}", "", 1),
		"schemas/payment.proto": strings.Replace(paymentProto, "  Money amount = 2;\n", "", 1),
	})
	for _, format := range []string{"text", "github", "json"} {
		r := schemactl(t, dir, nil, "check", "--against", "base", "--format", format, "orders-value", "payments-value")
		if r.code != ExitBreaking {
			t.Fatalf("%s: %s", format, r)
		}
		assertGolden(t, "check/removed."+format, r.stdout)
	}
}

func TestGetAndDiff(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderCompatible})
	if r := schemactl(t, dir, e, "register", "orders-value"); r.code != ExitOK {
		t.Fatalf("%s", r)
	}

	r := schemactl(t, dir, e, "get", "payments-value")
	if r.code != ExitOK || !strings.Contains(r.stdout, "message Payment") {
		t.Errorf("get: %s", r)
	}
	r = schemactl(t, dir, e, "get", "orders-value", "--version", "all", "-o", "out")
	if r.code != ExitOK {
		t.Fatalf("get all: %s", r)
	}
	assertGolden(t, "get/all.txt", r.stdout)
	for _, name := range []string{"out/orders-value.v1.avsc", "out/orders-value.v2.avsc"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("get all: %v", err)
		}
	}

	r = schemactl(t, dir, e, "diff", "orders-value", "1", "2")
	if r.code != ExitOK {
		t.Fatalf("diff: %s", r)
	}
	assertGolden(t, "diff/versions.txt", r.stdout)

	writeFiles(t, dir, map[string]string{"schemas/order.avsc": orderBreaking})
	r = schemactl(t, dir, e, "diff", "orders-value")
	if r.code != ExitOK {
		t.Fatalf("diff: %s", r)
	}
	assertGolden(t, "diff/file.txt", r.stdout)
}

func TestConfigGetSet(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	r := schemactl(t, dir, e, "config", "set", "orders-value", "--level", "full", "--additive=false")
	if r.code != ExitOK {
		t.Fatalf("set: %s", r)
	}
	assertGolden(t, "config/set.txt", r.stdout)
	r = schemactl(t, dir, e, "config", "get", "--json")
	if r.code != ExitOK {
		t.Fatalf("get global: %s", r)
	}
	assertGolden(t, "config/global.json", r.stdout)
	if r := schemactl(t, dir, e, "config", "set", "orders-value", "--level", "SIDEWAYS"); r.code != ExitUsage {
		t.Errorf("bad level: %s", r)
	}
}

func TestCredentialsComeFromTheEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  env
		want string
	}{
		{"Token", env{EnvToken: "s3cret"}, "Bearer s3cret"},
		{"UserPassword", env{EnvUser: "alice", EnvPassword: "pw"}, "Basic YWxpY2U6cHc="},
		{"None", env{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var auth, ua string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				auth, ua = r.Header.Get("Authorization"), r.UserAgent()
				w.Write([]byte(`{"subject":"s","version":1,"id":1,"schema":"\"string\""}`))
			}))
			defer srv.Close()
			tt.env[EnvRegistry] = srv.URL
			r := schemactl(t, t.TempDir(), tt.env, "get", "s")
			if r.code != ExitOK || r.stdout != "\"string\"\n" {
				t.Fatalf("%s", r)
			}
			if auth != tt.want || !strings.HasPrefix(ua, "schemactl/") {
				t.Errorf("Authorization %q, User-Agent %q; want %q, schemactl/…", auth, ua, tt.want)
			}
		})
	}
}

func TestServerErrorExits3(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		w.Write([]byte(`{"error_code":50001,"message":"Error in the backend data store"}`))
	}))
	defer srv.Close()
	dir := baseProjectDir(t)
	r := schemactl(t, dir, env{EnvRegistry: srv.URL}, "check", "orders-value")
	if r.code != ExitRegistry || !strings.Contains(r.stderr, "50001") || !strings.Contains(r.stderr, "hint: the registry failed to answer") {
		t.Errorf("%s", r)
	}
}

func TestLint(t *testing.T) {
	t.Parallel()
	dir, e := registeredProject(t)
	r := schemactl(t, dir, e, "lint")
	if r.code != ExitOK || strings.Count(r.stdout, ": valid") != 4 {
		t.Errorf("lint: %s", r)
	}
	// Removing a field is BACKWARD compatible but not additive.
	removed := strings.Replace(orderV1, ",\n    {\"name\": \"amount\", \"type\": \"double\"}", "", 1)
	writeFiles(t, dir, map[string]string{"schemas/order.avsc": removed})
	r = schemactl(t, dir, e, "lint", "--additive", "--format", "json", "orders-value")
	if r.code != ExitBreaking || !strings.Contains(r.stdout, `"ruleId": "AVRO_ADDITIVE_`) {
		t.Errorf("lint --additive against the registry: %s", r)
	}
}
