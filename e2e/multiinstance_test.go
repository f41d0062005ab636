package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// The workload of TestMultiInstance.
const (
	instances = 3
	writers   = 16
	// registrations is the number of POSTs the writers send in total.
	registrations = 2000
	// distinctSchemas of them register a schema for the first time; the
	// rest re-register one, half in the same subject (idempotent) and half
	// in another subject (a new version with the same id).
	distinctSchemas = 1600
	subjectCount    = 5
	// invalidationDeadline bounds how long another instance may keep
	// serving a permanently deleted schema from its cache.
	invalidationDeadline = 2 * time.Second
)

// TestMultiInstance runs three registry processes on one PostgreSQL
// schema and checks that they behave as one registry: concurrent writers
// spread over all of them get unique ids and gapless versions, every
// write is readable from every instance, and a permanent delete on one
// evicts the schema from the others' caches.
func TestMultiInstance(t *testing.T) {
	t.Parallel()
	cluster := startCluster(t, instances, servertest.PostgreSQL.Config(t).DatabaseURL)
	client := newClient(writers)
	ctx := withTimeout(t, 2*time.Minute)
	// NONE, so that every distinct schema registers.
	if err := setGlobalCompatibility(ctx, client, cluster[0].url, "NONE"); err != nil {
		t.Fatal(err)
	}

	t.Run("ConcurrentWritersAgreeOnIdsAndVersions", func(t *testing.T) {
		plan := writePlan()
		results := runWriters(ctx, client, cluster, plan)
		want := checkRegistrations(t, plan, results)
		if t.Failed() {
			return
		}
		for _, in := range cluster {
			t.Run("ReadBackFrom"+in.name, func(t *testing.T) {
				checkReadBack(ctx, t, client, in, want)
			})
		}
	})

	t.Run("OtherInstances", func(t *testing.T) {
		t.Run("SeeTheLatestVersionAtOnce", func(t *testing.T) {
			t.Parallel()
			checkLatestAcrossInstances(ctx, t, client, cluster)
		})
		t.Run("StopServingAPermanentlyDeletedSchema", func(t *testing.T) {
			t.Parallel()
			checkPermanentDeleteAcrossInstances(ctx, t, client, cluster)
		})
	})
}

// registration is one POST of the plan: schema number schema in subject.
type registration struct {
	subject string
	schema  int
}

// schemaText is the Avro text of schema number i: a record whose name
// and field make it distinct from every other.
func schemaText(i int) string {
	n := strconv.Itoa(i)
	return `{"type":"record","name":"E2E_` + n + `","namespace":"e2e","fields":[{"name":"f` + n + `","type":"long"}]}`
}

func subjectName(i int) string { return "e2e-" + strconv.Itoa(i) + "-value" }

// writePlan lists the registrations in a fixed shuffled order, so that
// re-registrations are mixed with first registrations and may race them.
func writePlan() []registration {
	plan := make([]registration, 0, registrations)
	for i := range distinctSchemas {
		plan = append(plan, registration{subjectName(i % subjectCount), i})
	}
	for k := range registrations - distinctSchemas {
		i := (k * 7) % distinctSchemas
		subject := i % subjectCount
		if k%2 == 1 {
			subject = (subject + 1) % subjectCount
		}
		plan = append(plan, registration{subjectName(subject), i})
	}
	rand.New(rand.NewPCG(3, 7)).Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	return plan
}

// outcome is the answer to one registration of the plan.
type outcome struct {
	got      registered
	err      error
	instance string
}

// runWriters sends the plan's registrations from concurrent writers,
// writer w through instance w mod len(cluster), and returns the answers
// in plan order.
func runWriters(ctx context.Context, client *http.Client, cluster []*instance, plan []registration) []outcome {
	results := make([]outcome, len(plan))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range writers {
		in := cluster[w%len(cluster)]
		wg.Go(func() {
			for i := range next {
				r, err := register(ctx, client, in.url, plan[i].subject, schemaText(plan[i].schema))
				results[i] = outcome{got: r, err: err, instance: in.name}
			}
		})
	}
	for i := range plan {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// expected is what the registry must hold after the writers finish.
type expected struct {
	// idOf is the id of each schema number.
	idOf map[int]int
	// versions lists, per subject, the schema number of each version
	// (index 0 is version 1).
	versions map[string][]int
}

// reporter is the part of testing.T the checks use.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// checkRegistrations checks the answers to the plan's registrations
// against the registry's invariants and returns the state they imply.
func checkRegistrations(t reporter, plan []registration, results []outcome) expected {
	t.Helper()
	want := expected{idOf: map[int]int{}, versions: map[string][]int{}}
	schemaOf := map[int]int{}             // id -> schema number
	versionOf := map[string]map[int]int{} // subject -> schema number -> version
	var failures int
	fail := func(format string, args ...any) {
		if failures++; failures <= 20 {
			t.Errorf(format, args...)
		}
	}
	for i, r := range results {
		reg := plan[i]
		if r.err != nil {
			fail("register schema %d in %s via %s: %v", reg.schema, reg.subject, r.instance, r.err)
			continue
		}
		if r.got.ID <= 0 || r.got.Version <= 0 {
			fail("register schema %d in %s via %s: answer %+v, want a positive id and version", reg.schema, reg.subject, r.instance, r.got)
			continue
		}
		if id, ok := want.idOf[reg.schema]; ok && id != r.got.ID {
			fail("schema %d got ids %d and %d: the same schema must always get the same id", reg.schema, id, r.got.ID)
		}
		want.idOf[reg.schema] = r.got.ID
		if s, ok := schemaOf[r.got.ID]; ok && s != reg.schema {
			fail("id %d was given to schemas %d and %d", r.got.ID, s, reg.schema)
		}
		schemaOf[r.got.ID] = reg.schema
		if versionOf[reg.subject] == nil {
			versionOf[reg.subject] = map[int]int{}
		}
		if v, ok := versionOf[reg.subject][reg.schema]; ok && v != r.got.Version {
			fail("schema %d in %s got versions %d and %d: re-registration must return the existing version", reg.schema, reg.subject, v, r.got.Version)
		}
		versionOf[reg.subject][reg.schema] = r.got.Version
	}
	if failures > 20 {
		t.Errorf("... and %d more failures", failures-20)
	}
	planned := map[int]bool{}
	subjects := map[string]bool{}
	for _, reg := range plan {
		planned[reg.schema], subjects[reg.subject] = true, true
	}
	if len(want.idOf) != len(planned) {
		t.Errorf("%d schemas registered, want %d", len(want.idOf), len(planned))
	}
	// The versions answered in each subject must be exactly 1..n: n
	// schemas on n distinct versions, none above n.
	for subject, bySchema := range versionOf {
		n := len(bySchema)
		schemaAt := make([]int, n) // schemaAt[v-1] holds version v
		taken := make([]bool, n)
		for schema, v := range bySchema {
			switch {
			case v > n:
				t.Errorf("%s: schema %d got version %d, but the subject has %d schemas: versions have a gap", subject, schema, v, n)
			case taken[v-1]:
				t.Errorf("%s: version %d given to schemas %d and %d", subject, v, schemaAt[v-1], schema)
			default:
				taken[v-1], schemaAt[v-1] = true, schema
			}
		}
		want.versions[subject] = schemaAt
	}
	if len(want.versions) != len(subjects) {
		t.Errorf("%d subjects written, want %d", len(want.versions), len(subjects))
	}
	return want
}

// checkReadBack reads every version of every subject and every schema by
// id from one instance and compares them with want.
func checkReadBack(ctx context.Context, t *testing.T, client *http.Client, in *instance, want expected) {
	t.Helper()
	var (
		mu       sync.Mutex
		failures int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if failures++; failures <= 20 {
			t.Errorf(format, args...)
		}
	}
	jobs := make(chan func())
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for job := range jobs {
				job()
			}
		})
	}
	for subject, schemas := range want.versions {
		jobs <- func() {
			got, err := getVersions(ctx, client, in.url, subject)
			wantVersions := make([]int, len(schemas))
			for i := range wantVersions {
				wantVersions[i] = i + 1
			}
			if err != nil || !slices.Equal(got, wantVersions) {
				fail("GET /subjects/%s/versions = %v, %v; want 1..%d", subject, got, err, len(schemas))
			}
		}
		for i, schema := range schemas {
			version := i + 1
			jobs <- func() {
				got, err := getVersion(ctx, client, in.url, subject, strconv.Itoa(version))
				w := subjectVersion{Subject: subject, Version: version, ID: want.idOf[schema], Schema: schemaText(schema)}
				if err != nil || got != w {
					fail("GET /subjects/%s/versions/%d = %+v, %v; want %+v", subject, version, got, err, w)
				}
			}
		}
	}
	for schema, id := range want.idOf {
		jobs <- func() {
			got, err := getSchema(ctx, client, in.url, id)
			if err != nil || got.Schema != schemaText(schema) {
				fail("GET /schemas/ids/%d = %q, %v; want schema %d", id, got.Schema, err, schema)
			}
		}
	}
	close(jobs)
	wg.Wait()
	if failures > 20 {
		t.Errorf("... and %d more failures", failures-20)
	}
}

// checkLatestAcrossInstances registers on one instance and at once reads
// the subject's latest version from the next one, round the cluster.
func checkLatestAcrossInstances(ctx context.Context, t *testing.T, client *http.Client, cluster []*instance) {
	const subject, rounds = "e2e-latest-value", 30
	for i := range rounds {
		writer, reader := cluster[i%len(cluster)], cluster[(i+1)%len(cluster)]
		text := `{"type":"record","name":"Latest` + strconv.Itoa(i) + `","fields":[]}`
		r, err := register(ctx, client, writer.url, subject, text)
		if err != nil {
			t.Fatalf("register on %s: %v", writer.name, err)
		}
		got, err := getVersion(ctx, client, reader.url, subject, "latest")
		want := subjectVersion{Subject: subject, Version: r.Version, ID: r.ID, Schema: text}
		if err != nil || got != want {
			t.Fatalf("after registering %+v on %s, GET latest on %s = %+v, %v; want %+v",
				r, writer.name, reader.name, got, err, want)
		}
	}
}

// checkPermanentDeleteAcrossInstances caches a schema on every instance,
// deletes it permanently on the first one, and waits until every
// instance answers 40403 for its id.
func checkPermanentDeleteAcrossInstances(ctx context.Context, t *testing.T, client *http.Client, cluster []*instance) {
	const subject = "e2e-delete-value"
	text := `{"type":"record","name":"Doomed","fields":[{"name":"gone","type":"string"}]}`
	owner := cluster[0]
	r, err := register(ctx, client, owner.url, subject, text)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range cluster {
		// Twice: the second read is served from the instance's cache.
		for range 2 {
			if got, err := getSchema(ctx, client, in.url, r.ID); err != nil || got.Schema != text {
				t.Fatalf("GET /schemas/ids/%d on %s = %q, %v; want the schema", r.ID, in.name, got.Schema, err)
			}
		}
	}
	if err := deleteVersion(ctx, client, owner.url, subject, r.Version, false); err != nil {
		t.Fatal(err)
	}
	if err := deleteVersion(ctx, client, owner.url, subject, r.Version, true); err != nil {
		t.Fatal(err)
	}
	deleted := time.Now()
	for _, in := range cluster {
		for {
			_, err := getSchema(ctx, client, in.url, r.ID)
			var apiErr *apiError
			if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound && apiErr.ErrorCode == 40403 {
				t.Logf("%s answers 40403 %s after the permanent delete", in.name, time.Since(deleted).Round(time.Millisecond))
				break
			}
			if time.Since(deleted) > invalidationDeadline {
				t.Fatalf("GET /schemas/ids/%d on %s %s after its permanent delete on %s: %s; want 40403",
					r.ID, in.name, invalidationDeadline, owner.name, describe(err))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// describe renders the outcome of a GET that was expected to fail.
func describe(err error) string {
	if err == nil {
		return "200 OK"
	}
	return fmt.Sprint(err)
}
