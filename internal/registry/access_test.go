package registry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// suffixAccess may read and write the subjects ending in suffix, and
// nothing else.
type suffixAccess struct{ suffix string }

func (a suffixAccess) Name() string { return "team" + a.suffix }

func (a suffixAccess) Allows(_ registry.Permission, subject string) bool {
	return strings.HasSuffix(subject, a.suffix)
}

func (suffixAccess) AllowsAll(registry.Permission) bool { return false }

func TestListingsPageWhatTheCallerMayRead(t *testing.T) {
	registry.SetListChunk(t.Cleanup, 3)
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		// Readable and hidden subjects interleave: s00-a, s00-b, s01-a, …
		var readable []string
		for i := range 10 {
			for _, team := range []string{"a", "b"} {
				subject := fmt.Sprintf("s%02d-%s", i, team)
				register(t, svc, subject, registry.SchemaInput{Format: schema.Avro, Text: fmt.Sprintf(`{"type":"fixed","name":"F%d","size":%d}`, i, i+1)})
				if team == "a" {
					readable = append(readable, subject)
				}
			}
		}
		ctx := registry.WithAccess(context.Background(), suffixAccess{"-a"})
		tests := []struct {
			name          string
			offset, limit int
			want          []string
		}{
			{"All", 0, 0, readable},
			{"FirstPage", 0, 4, readable[:4]},
			{"SecondPage", 4, 4, readable[4:8]},
			{"LastPage", 8, 4, readable[8:]},
			{"PastTheEnd", 10, 4, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				subs, err := svc.Subjects(ctx, registry.SubjectListParams{Offset: tt.offset, Limit: tt.limit})
				if err != nil || !slices.Equal(subs, tt.want) {
					t.Errorf("Subjects = %v, %v; want %v", subs, err, tt.want)
				}
				vs, err := svc.Schemas(ctx, registry.SchemaListParams{Offset: tt.offset, Limit: tt.limit})
				var got []string
				for _, v := range vs {
					got = append(got, v.Subject)
				}
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("Schemas lists %v, %v; want %v", got, err, tt.want)
				}
			})
		}
		// Without an access, everything.
		all, err := svc.Subjects(context.Background(), registry.SubjectListParams{})
		if err != nil || len(all) != 20 {
			t.Errorf("unrestricted Subjects = %v, %v", all, err)
		}
	})
}

func TestRefusalsDoNotNameSubjectsTheCallerCannotRead(t *testing.T) {
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		register(t, svc, "x-b", avroRecord(fieldID))
		if _, err := svc.PutConsumer(context.Background(), fieldConsumer("etl", "x-b", "id")); err != nil {
			t.Fatal(err)
		}
		ctx := registry.WithAccess(context.Background(), suffixAccess{"-a"})
		// A consumer reading only hidden subjects is absent to the caller.
		_, err := svc.DeleteConsumer(ctx, "etl")
		wantCode(t, err, srapi.CodeConsumerNotFound)
		// Replacing it is refused without naming what it read.
		_, err = svc.PutConsumer(ctx, fieldConsumer("etl", "x-a", "id"))
		wantCode(t, err, srapi.CodeForbidden)
		if strings.Contains(err.Error(), "x-b") {
			t.Errorf("refusal %q names the hidden subject", err)
		}
		if c, err := svc.Consumer(context.Background(), "etl"); err != nil || c.Reads[0].Subject != "x-b" {
			t.Errorf("consumer after the refusals: %+v, %v", c, err)
		}
	})
}

// prefixAccess may read and write the subjects starting with prefix.
type prefixAccess struct{ prefix string }

func (a prefixAccess) Name() string { return a.prefix }

func (a prefixAccess) Allows(_ registry.Permission, subject string) bool {
	return strings.HasPrefix(subject, a.prefix)
}

func (prefixAccess) AllowsAll(registry.Permission) bool { return false }

// TestContextsStayBehindGrants: grants match the qualified subject, so a
// principal limited to a prefix of the default context reaches neither
// another context's subjects, nor its ids, nor its name.
func TestContextsStayBehindGrants(t *testing.T) {
	eachBackend(t, func(t *testing.T, svc *registry.Service) {
		register(t, svc, "team-a-orders", registry.SchemaInput{Format: schema.Avro, Text: `"string"`})
		register(t, svc, ":.other:team-a-orders", registry.SchemaInput{Format: schema.Avro, Text: `"int"`})
		ctx := registry.WithAccess(context.Background(), prefixAccess{"team-a"})

		if sch, err := svc.SchemaByID(ctx, registry.DefaultContext, 1); err != nil || sch.Text != `"string"` {
			t.Errorf("own id: %+v, %v", sch, err)
		}
		if _, err := svc.SchemaByID(ctx, ".other", 1); !errors.Is(err, registry.ErrSchemaNotFound) {
			t.Errorf("id 1 of .other: %v, want 40403", err)
		}
		if _, err := svc.SchemaVersions(ctx, ".other", 1, true); !errors.Is(err, registry.ErrSchemaNotFound) {
			t.Errorf("versions of id 1 of .other: %v, want 40403", err)
		}
		subs, err := svc.Subjects(ctx, registry.SubjectListParams{Prefix: registry.AllContexts})
		if err != nil || !slices.Equal(subs, []string{"team-a-orders"}) {
			t.Errorf("Subjects(:*:) = %v, %v", subs, err)
		}
		cs, err := svc.Contexts(ctx)
		if err != nil || !slices.Equal(cs, []string{"."}) {
			t.Errorf("Contexts = %v, %v; want the default only", cs, err)
		}
		// Unrestricted, both contexts.
		if cs, err := svc.Contexts(context.Background()); err != nil || !slices.Equal(cs, []string{".", ".other"}) {
			t.Errorf("unrestricted Contexts = %v, %v", cs, err)
		}
	})
}
