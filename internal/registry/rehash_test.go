package registry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
)

// TestReRegisterWithoutMemory: a process that remembers nothing (just
// started, or its caches evicted the answer) answers an idempotent
// re-registration from the hashes stored with the versions, with the
// same version the parse would give: the latest live one holding the
// schema, whatever its contract.
func TestReRegisterWithoutMemory(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st registry.Store, opts registry.Options) {
		ctx := t.Context()
		writer := registry.New(st, opts)
		register := func(svc *registry.Service, in registry.SchemaInput) int {
			t.Helper()
			v, err := svc.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: in})
			if err != nil {
				t.Fatalf("register %s: %v", in.Text, err)
			}
			return v.Version
		}
		v1 := avroRecord(fieldID)
		spaced := v1
		spaced.Text = strings.ReplaceAll(v1.Text, ",", " , ")
		withOwner := v1
		withOwner.Metadata = json.RawMessage(`{"properties":{"owner":"team-a"}}`)
		normalized := v1
		normalized.Normalize = true

		register(writer, v1)
		register(writer, avroRecord(fieldID, fieldNote))
		steps := []struct {
			name  string
			setup func()
			in    registry.SchemaInput
			want  int
			// parse: whether the answer needs the request parsed.
			parse bool
		}{
			{"the request that made version 1", nil, v1, 1, false},
			{"the same schema spelled differently", nil, spaced, 1, true},
			{"with normalize", nil, normalized, 1, true},
			{"after a later version holds the schema with a contract", func() {
				if got := register(writer, withOwner); got != 3 {
					t.Fatalf("the schema with a contract registered as version %d, want 3", got)
				}
			}, v1, 3, false},
			{"after that version is deleted", func() {
				if _, err := writer.DeleteVersion(ctx, "orders", 3, false); err != nil {
					t.Fatal(err)
				}
			}, v1, 1, false},
		}
		for _, step := range steps {
			if step.setup != nil {
				step.setup()
			}
			// A fresh process each time: nothing in memory.
			fresh := registry.New(st, opts)
			if got := register(fresh, step.in); got != step.want {
				t.Errorf("%s: version %d, want %d", step.name, got, step.want)
			}
			if parsed := parses(fresh); parsed != step.parse {
				t.Errorf("%s: parsed the request = %v, want %v", step.name, parsed, step.parse)
			}
		}
		live, err := writer.Versions(ctx, registry.VersionsParams{Subject: "orders"})
		if err != nil {
			t.Fatal(err)
		}
		if len(live) != 2 {
			t.Errorf("live versions %v: a re-registration created one", live)
		}
	})
}

// TestReRegisterFillsMissingHashes: versions stored without hashes (by a
// registry before they existed) are answered by parsing once; the answer
// stores their hashes, so the next process needs no parse.
func TestReRegisterFillsMissingHashes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st registry.Store, opts registry.Options) {
		ctx := t.Context()
		in := avroRecord(fieldID)
		// As an older registry stored them: no hashes, and a
		// fingerprint this one would not compute.
		for i, text := range []string{in.Text, avroRecord(fieldID, fieldNote).Text} {
			err := st.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
				sch, err := tx.SchemaInsert(ctx, registry.SchemaInsertParams{Schema: registry.Schema{
					Format: in.Format, Text: text, Fingerprint: fmt.Sprintf("legacy-%d", i),
				}})
				if err != nil {
					return err
				}
				_, err = tx.VersionInsert(ctx, registry.VersionInsertParams{Subject: "orders", SchemaID: sch.ID})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, wantParse := range []bool{true, false} {
			fresh := registry.New(st, opts)
			v, err := fresh.Register(ctx, registry.RegisterParams{Subject: "orders", Schema: in})
			if err != nil {
				t.Fatal(err)
			}
			if v.Version != 1 {
				t.Errorf("re-registration %d: version %d, want 1", i+1, v.Version)
			}
			if parsed := parses(fresh); parsed != wantParse {
				t.Errorf("re-registration %d parsed the request = %v, want %v", i+1, parsed, wantParse)
			}
		}
	})
}

// eachStore runs fn on a fresh store of each backend, in parallel, with
// the options of a registry process over it.
func eachStore(t *testing.T, fn func(t *testing.T, st registry.Store, opts registry.Options)) {
	t.Helper()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t), registry.Options{Defaults: registry.ConfluentDefaultConfig(), Logger: slog.New(slog.DiscardHandler)})
		})
	}
}

// parses reports whether svc has looked for a parsed request in its
// cache, which every parse of a request does first.
func parses(svc *registry.Service) bool {
	for _, st := range svc.CacheStats() {
		if st.Name == registry.CacheParsedInputs {
			return st.Hits+st.Misses > 0
		}
	}
	return false
}
