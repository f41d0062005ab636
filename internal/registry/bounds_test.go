package registry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// eachBackendWith is eachBackend with options of the test's own.
func eachBackendWith(t *testing.T, opts registry.Options, fn func(t *testing.T, svc *registry.Service)) {
	t.Helper()
	opts.Defaults = registry.ConfluentDefaultConfig()
	opts.Logger = slog.New(slog.DiscardHandler)
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, registry.New(open(t), opts))
		})
	}
}

func TestExplicitIDsOutsideThirtyTwoBitsAreRefused(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		if _, err := svc.SetMode(ctx, "imported", registry.Import, false); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			id      int
			version int
			code    srapi.Code
			mention string // in the message
		}{
			{name: "NegativeID", id: -1, code: srapi.CodeOperationNotPermitted, mention: "id -1"},
			{name: "IDJustBeyond32Bits", id: registry.MaxSchemaID + 1, code: srapi.CodeOperationNotPermitted, mention: "id 2147483648"},
			{name: "LargestInt64", id: math.MaxInt64, code: srapi.CodeOperationNotPermitted, mention: "id 9223372036854775807"},
			{name: "NegativeVersion", id: 5, version: -2, code: srapi.CodeInvalidVersion, mention: "version -2"},
		}
		for _, tt := range tests {
			_, err := svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldID), ID: tt.id, Version: tt.version})
			var e *registry.Error
			if !errors.As(err, &e) || e.Code != tt.code || !strings.Contains(e.Message, tt.mention) {
				t.Errorf("%s: Register() error = %v, want code %d with %q", tt.name, err, tt.code, tt.mention)
			}
		}
		if _, err := svc.Versions(ctx, registry.VersionsParams{Subject: "imported"}); !errors.Is(err, registry.ErrSubjectNotFound) {
			t.Fatalf("a refused import stored a version: Versions() error = %v", err)
		}

		// The largest id is accepted; after it the store has none left.
		v, err := svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldID), ID: registry.MaxSchemaID, Version: 1})
		if err != nil {
			t.Fatalf("Register(id %d) error = %v", registry.MaxSchemaID, err)
		}
		if v.SchemaID != registry.MaxSchemaID {
			t.Fatalf("Register() id = %d, want %d", v.SchemaID, registry.MaxSchemaID)
		}
		// A registration without an id needs READWRITE.
		if _, err := svc.DeleteMode(ctx, "imported"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "imported", Schema: avroRecord(fieldID, fieldNote)})
		var e *registry.Error
		if !errors.As(err, &e) || e.Code != srapi.CodeStoreError || !strings.Contains(e.Message, "exhausted") {
			t.Fatalf("Register() after the largest id: error = %v, want a store error saying ids are exhausted", err)
		}
		versions, err := svc.Versions(ctx, registry.VersionsParams{Subject: "imported"})
		if err != nil || len(versions) != 1 {
			t.Fatalf("Versions() = %v, %v; want only the imported version", versions, err)
		}
	})
}

func TestSchemasBeyondLimitsAreInvalid(t *testing.T) {
	t.Parallel()
	opts := registry.Options{Limits: schema.Limits{MaxDepth: 8, MaxReferences: 2, MaxFields: 3}}
	eachBackendWith(t, opts, func(t *testing.T, svc *registry.Service) {
		ctx := context.Background()
		deep := registry.SchemaInput{Format: schema.Avro, Text: strings.Repeat(`{"type":"array","items":`, 10) + `"int"` + strings.Repeat(`}`, 10)}
		_, err := svc.Register(ctx, registry.RegisterParams{Subject: "deep", Schema: deep})
		wantLimit(t, err, "MaxDepth")
		_, err = svc.CheckCompatibility(ctx, registry.CompatibilityParams{Subject: "deep", Schema: deep})
		wantLimit(t, err, "MaxDepth")
		_, err = svc.Register(ctx, registry.RegisterParams{Subject: "wide", Schema: avroRecord(fieldID, fieldNote, fieldPrice, `{"name":"x","type":"int"}`)})
		wantLimit(t, err, "MaxFields")

		// A chain of references: c -> b -> a is two, d -> c -> b -> a three.
		prev := []schema.Reference(nil)
		for i, name := range []string{"a", "b", "c", "d"} {
			text := fmt.Sprintf(`{"type":"fixed","name":"F%d","size":1}`, i)
			_, err := svc.Register(ctx, registry.RegisterParams{Subject: name, Schema: registry.SchemaInput{Format: schema.Avro, Text: text, References: prev}})
			if name == "d" {
				wantLimit(t, err, "MaxReferences")
				break
			}
			if err != nil {
				t.Fatalf("register %s: %v", name, err)
			}
			prev = []schema.Reference{{Name: fmt.Sprintf("F%d", i), Subject: name, Version: 1}}
		}
		for _, subject := range []string{"deep", "wide", "d"} {
			if _, err := svc.Versions(ctx, registry.VersionsParams{Subject: subject}); !errors.Is(err, registry.ErrSubjectNotFound) {
				t.Errorf("subject %s exists after a refused registration (error %v)", subject, err)
			}
		}
	})
}

func wantLimit(t *testing.T, err error, limit string) {
	t.Helper()
	wantCode(t, err, srapi.CodeInvalidSchema)
	var le *schema.LimitError
	if !errors.As(err, &le) || le.Limit != limit {
		t.Fatalf("error %v does not carry limit %s", err, limit)
	}
	var e *registry.Error
	errors.As(err, &e)
	if !strings.Contains(e.Message, limit) {
		t.Fatalf("message %q does not name the limit %s", e.Message, limit)
	}
}

func TestIncompatibleAnswerIsBounded(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		fields := func(n int) registry.SchemaInput {
			fs := make([]string, n)
			for i := range fs {
				fs[i] = fmt.Sprintf(`{"name":"f%d","type":"int"}`, i)
			}
			return avroRecord(fs...)
		}
		register(t, svc, "wide-value", fields(1))
		// Every added field without a default is one BACKWARD error.
		extra := compat.MaxFindings + 250
		_, err := svc.Register(context.Background(), registry.RegisterParams{Subject: "wide-value", Schema: fields(1 + extra)})
		var e *registry.Error
		if !errors.As(err, &e) || e.Code != srapi.CodeIncompatibleSchema {
			t.Fatalf("Register() error = %v, want 409", err)
		}
		if len(e.Findings) != compat.MaxFindings || !strings.HasSuffix(e.Message, "and 250 more findings]") {
			t.Errorf("answer holds %d findings and ends %q, want %d and a count of the 250 left out",
				len(e.Findings), e.Message[max(0, len(e.Message)-60):], compat.MaxFindings)
		}
		res, err := svc.CheckCompatibility(context.Background(), registry.CompatibilityParams{Subject: "wide-value", Schema: fields(1 + extra)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != compat.MaxFindings || res.Truncated != 250 || res.Compatible() {
			t.Errorf("CheckCompatibility() = %d findings, %d left out, compatible %v; want %d, 250, false",
				len(res.Findings), res.Truncated, res.Compatible(), compat.MaxFindings)
		}
	})
}
