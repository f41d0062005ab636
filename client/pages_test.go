package client_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// TestListingsWalkPages lists more entries than a page over real HTTP,
// against a registry whose caps (2) are below the page the client asks
// for (3): every listing still comes back whole and in order, and an
// iteration stopped early stops asking.
func TestListingsWalkPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := servertest.Start(t, servertest.WithConfig(server.Config{SchemaSearchLimit: 2, ListLimit: 2}))
	for _, size := range []int{1, 3, 50} {
		t.Run(fmt.Sprintf("PageSize%d", size), func(t *testing.T) {
			c, err := client.New(reg.URL(), client.WithPageSize(size))
			if err != nil {
				t.Fatal(err)
			}
			prefix := fmt.Sprintf("p%d-", size)
			var want []string
			for i := range 7 {
				subject := fmt.Sprintf("%s%02d", prefix, i)
				want = append(want, subject)
				if _, err := c.Register(ctx, subject, client.Schema{Schema: orderV1}, nil); err != nil {
					t.Fatal(err)
				}
				if _, _, err := c.PutConsumer(ctx, srapi.Consumer{Name: subject, Owner: prefix, Reads: []srapi.ConsumerRead{{Subject: subject, Fields: []string{"id"}}}}); err != nil {
					t.Fatal(err)
				}
				if _, _, err := c.Deprecate(ctx, srapi.Deprecation{Subject: subject}, nil); err != nil {
					t.Fatal(err)
				}
			}
			subjects, err := c.Subjects(ctx, &client.SubjectsOptions{Prefix: prefix})
			if err != nil || !slices.Equal(subjects, want) {
				t.Errorf("Subjects = %v, %v; want %v", subjects, err, want)
			}
			schemas, err := c.Schemas(ctx, &client.SchemasOptions{Prefix: prefix})
			if err != nil || !slices.Equal(names(schemas, func(v client.SubjectVersion) string { return v.Subject }), want) {
				t.Errorf("Schemas = %v, %v; want %v", schemas, err, want)
			}
			consumers, err := c.Consumers(ctx, &client.ConsumersOptions{Owner: prefix})
			if err != nil || !slices.Equal(names(consumers, func(c srapi.Consumer) string { return c.Name }), want) {
				t.Errorf("Consumers = %v, %v; want %v", consumers, err, want)
			}
			deps, err := c.Deprecations(ctx, &client.DeprecationsOptions{SubjectPrefix: prefix})
			if err != nil || !slices.Equal(names(deps, func(d srapi.Deprecation) string { return d.Subject }), want) {
				t.Errorf("Deprecations = %v, %v; want %v", deps, err, want)
			}
			var firstThree []string
			for s, err := range c.AllSubjects(ctx, &client.SubjectsOptions{Prefix: prefix}) {
				if err != nil {
					t.Fatal(err)
				}
				if firstThree = append(firstThree, s); len(firstThree) == 3 {
					break
				}
			}
			if !slices.Equal(firstThree, want[:3]) {
				t.Errorf("AllSubjects stopped after three = %v, want %v", firstThree, want[:3])
			}
		})
	}
}

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	return out
}
