package registry

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

func TestAnswerByHashes(t *testing.T) {
	t.Parallel()
	// Hashes differ in their first bytes, as hashes do: only those are
	// kept.
	h := func(n int) string { return fmt.Sprintf("%04x", n) + strings.Repeat("ab", 30) }
	version := func(n, id int, in, identity, normalized string) HashedVersion {
		return HashedVersion{
			SubjectVersion: SubjectVersion{Subject: "s", Version: n, SchemaID: id},
			Hashes:         VersionHashes{Input: in, Identity: identity, Normalized: normalized},
		}
	}
	// Versions 1 and 3 hold the same schema; 2 and 3 the same normalized
	// form; 4 was stored without its request's hash.
	live := []HashedVersion{
		version(1, 11, h(1), h(100), h(200)),
		version(2, 12, h(2), h(101), h(201)),
		version(3, 13, h(3), h(100), h(201)),
		version(4, 14, "", h(103), h(203)),
	}
	inputOf := func(n int) [32]byte {
		var k [32]byte
		if _, err := hex.Decode(k[:], []byte(h(n))); err != nil {
			t.Fatal(err)
		}
		return k
	}
	tests := []struct {
		name      string
		input     int
		normalize bool
		want      int // version; 0: not answered
	}{
		{"its own version", 2, false, 2},
		{"the latest version holding the same schema", 1, false, 3},
		{"the latest with the same normalized form", 2, true, 3},
		{"an input no live version was created by", 9, false, 0},
	}
	s := New(nil, Options{})
	gen := s.subjectGeneration("s")
	s.rememberHashes("s", gen, 0, 0, live)
	for _, tc := range tests {
		v, ok := s.answerByHashes("s", inputOf(tc.input), tc.normalize)
		got := 0
		if ok {
			got = v.Version
		}
		if got != tc.want {
			t.Errorf("%s: version %d (answered %v), want %d", tc.name, got, ok, tc.want)
		}
	}

	// Any change to the subject makes them stale.
	gen.Add(1)
	if v, ok := s.answerByHashes("s", inputOf(2), false); ok {
		t.Errorf("after a change: answered version %d, want no answer", v.Version)
	}
	// A version without identity hashes leaves the subject unremembered.
	s.rememberHashes("t", gen, gen.Load(), 0, []HashedVersion{version(1, 21, h(1), "", "")})
	if _, ok := s.subjectHashes.GetIfPresent("t"); ok {
		t.Errorf("hashes remembered for a subject with a version without identity hashes")
	}
}

// TestStoredHashesAreStable pins the hashes the stores keep: a change to
// how they are computed would make every stored schema look new.
func TestStoredHashesAreStable(t *testing.T) {
	t.Parallel()
	refs := []schema.Reference{{Name: "common.proto", Subject: "common", Version: 3}}
	fp := fingerprint(schema.Protobuf, `syntax = "proto3";`, refs, json.RawMessage(`{"properties":{"owner":"a"}}`), nil)
	if want := "35225531b5c560927706e55ed09bfbc1858fbd142b8a8fee2038910ef308397e"; fp != want {
		t.Errorf("fingerprint = %s, want %s", fp, want)
	}
	in := SchemaInput{Format: schema.Avro, Text: `"string"`, Normalize: true, Context: ".ctx", References: refs, RuleSet: json.RawMessage(`{}`)}
	key := inputKey(in)
	if got, want := hex.EncodeToString(key[:]), "bc8ced2dff945add0a985b890fdcce7b79b7ec43f67cdda85acdae88526c13b2"; got != want {
		t.Errorf("inputKey = %s, want %s", got, want)
	}
}
