package avro

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

// vector is one case of the specification's canonical-form test data.
type vector struct {
	id, input, canonical string
	fingerprint          *int64
}

func readVectors(t *testing.T) []vector {
	t.Helper()
	f, err := os.Open("testdata/schema-tests.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		out     []vector
		cur     *vector
		inInput bool
		input   []string
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inInput && line == "INPUT":
			cur.input, inInput = strings.Join(input, "\n"), false
		case inInput:
			input = append(input, line)
		case strings.HasPrefix(line, "// "):
			out = append(out, vector{id: strings.TrimPrefix(line, "// ")})
			cur = &out[len(out)-1]
		case line == "<<INPUT":
			inInput, input = true, nil
		case strings.HasPrefix(line, "<<INPUT "):
			cur.input = strings.TrimPrefix(line, "<<INPUT ")
		case strings.HasPrefix(line, "<<canonical "):
			cur.canonical = strings.TrimPrefix(line, "<<canonical ")
		case strings.HasPrefix(line, "<<fingerprint "):
			fp, err := strconv.ParseInt(strings.TrimPrefix(line, "<<fingerprint "), 10, 64)
			if err != nil {
				t.Fatalf("case %s: %v", cur.id, err)
			}
			cur.fingerprint = &fp
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 34 {
		t.Fatalf("read %d vectors, want 34", len(out))
	}
	return out
}

// TestCanonicalFormVectors checks Parsing Canonical Form and CRC-64-AVRO
// against the Avro project's vectors. Case 026 has a boolean field whose
// default is the string "true": Parse rejects it, so the form is checked
// with default validation off.
func TestCanonicalFormVectors(t *testing.T) {
	t.Parallel()
	for _, v := range readVectors(t) {
		t.Run("Case"+v.id, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(v.input, nil)
			if v.id == "026" {
				var pe *schema.ParseError
				if !errors.As(err, &pe) || !strings.Contains(pe.Message, `invalid default for "f1"`) {
					t.Fatalf("Parse = %v, want the invalid default of f1 rejected", err)
				}
			} else if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			s, err := parse(nil, v.input, nil, schema.DefaultLimits(), true, false)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := s.CanonicalForm(); got != v.canonical {
				t.Errorf("CanonicalForm() = %s, want %s", got, v.canonical)
			}
			if v.fingerprint != nil && s.Fingerprint() != uint64(*v.fingerprint) {
				t.Errorf("Fingerprint() = %d, want %d", int64(s.Fingerprint()), *v.fingerprint)
			}
		})
	}
}

func TestRabin64Empty(t *testing.T) {
	t.Parallel()
	if got := Rabin64(nil); got != fpEmpty {
		t.Errorf("Rabin64(nil) = %#x, want %#x", got, fpEmpty)
	}
}

func TestJavaNumber(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"0", "0"},
		{"-0", "0"},
		{"42", "42"},
		{"-7", "-7"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"1.0", "1.0"},
		{"1.50", "1.5"},
		{"1e2", "100.0"},
		{"0.001", "0.001"},
		{"0.0001", "1.0E-4"},
		{"12345678.9", "1.23456789E7"},
		{"1E7", "1.0E7"},
		{"-2.5e-5", "-2.5E-5"},
		{"0.0", "0.0"},
		{"-0.0", "-0.0"},
	}
	for _, tt := range tests {
		if got := javaNumber(tt.in); got != tt.want {
			t.Errorf("javaNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseHambaRecoversPanics feeds the Avro library a schema that makes
// it panic (a recursive record default, which our own validation rejects
// first) and expects an error instead.
func TestParseHambaRecoversPanics(t *testing.T) {
	t.Parallel()
	root, err := parseHamba(`{"type":"record","name":"N","fields":[{"name":"next","type":"N","default":{}}]}`, nil)
	if err == nil || !strings.Contains(err.Error(), "avro library failed") {
		t.Fatalf("parseHamba = %v, %v; want the library's panic as an error", root, err)
	}
}
