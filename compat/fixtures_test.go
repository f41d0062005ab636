package compat

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema"
)

// fixtureParsers maps a file extension to the parser fixtures use; each
// format's test file registers its own in init.
var fixtureParsers = map[string]func(name, text string) (schema.Schema, error){}

// fixtureCase is the optional case.json of a fixture directory.
type fixtureCase struct {
	Level              string   `json:"level"`
	Additive           bool     `json:"additive"`
	Now                string   `json:"now"`
	MinDeprecationDays int      `json:"minDeprecationDays"`
	RegisteredAt       []string `json:"registeredAt"`
	// StillRead maps a schema path to the consumers still reading it.
	StillRead map[string][]string `json:"stillRead"`
}

// TestFixtures runs every directory under testdata/<format>/<case>. A case
// holds versions named 1.<ext>, 2.<ext>, ... (the highest is the new
// schema, the others its live history), an optional case.json, and
// findings.golden with the rendered findings. Regenerate with -update.
func TestFixtures(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.ToSlash(dir[len("testdata/"):]), func(t *testing.T) {
			t.Parallel()
			golden.AssertString(t, filepath.Join(dir, "findings.golden"), runFixture(t, dir))
		})
	}
}

func runFixture(t *testing.T, dir string) string {
	t.Helper()
	c := fixtureCase{Level: "BACKWARD", Now: "2026-01-01"}
	if b, err := os.ReadFile(filepath.Join(dir, "case.json")); err == nil {
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("case.json: %v", err)
		}
	}
	level, err := ParseLevel(c.Level)
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.DateOnly, c.Now)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	type file struct {
		n    int
		path string
		ext  string
	}
	var files []file
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		n, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ext))
		if err != nil || fixtureParsers[ext] == nil {
			continue
		}
		files = append(files, file{n, filepath.Join(dir, e.Name()), ext})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].n < files[j].n })
	if len(files) < 2 {
		t.Fatalf("a fixture needs at least two versions, found %d", len(files))
	}
	var history []Version
	var newSchema schema.Schema
	for i, f := range files {
		s := parseFixture(t, f.path)
		if i == len(files)-1 {
			newSchema = s
			break
		}
		at := now.AddDate(0, 0, -365+i)
		if i < len(c.RegisteredAt) {
			if at, err = time.Parse(time.DateOnly, c.RegisteredAt[i]); err != nil {
				t.Fatal(err)
			}
		}
		history = append(history, Version{Version: f.n, Schema: s, RegisteredAt: at})
	}
	p := Policy{
		AdditiveOnly:         c.Additive,
		Now:                  now,
		MinDeprecationPeriod: time.Duration(c.MinDeprecationDays) * 24 * time.Hour,
	}
	if c.StillRead != nil {
		p.StillRead = func(path string) []string { return c.StillRead[path] }
	}
	res := Check(Request{Level: level, Policy: p, New: newSchema, History: history})
	return renderFindings(res.Findings)
}

// parseFixture parses the fixture file at path with the parser of its
// extension.
func parseFixture(t *testing.T, path string) schema.Schema {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := fixtureParsers[filepath.Ext(path)](filepath.Base(path), string(text))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// renderFindings is the golden-file rendering of findings, one per line;
// a new position marked (enclosing) locates what held a removed element.
func renderFindings(fs []Finding) string {
	if len(fs) == 0 {
		return "compatible\n"
	}
	var b strings.Builder
	for _, f := range fs {
		newPos := f.New.String()
		if f.NewEnclosing {
			newPos += "(enclosing)"
		}
		fmt.Fprintf(&b, "%s %s v%d %s new=%s old=%s %s\n", f.Severity, f.RuleID, f.Version, f.Direction, newPos, f.Old, f.String())
	}
	return b.String()
}
