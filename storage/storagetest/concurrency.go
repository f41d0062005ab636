package storagetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
)

// testConcurrentRegistrations runs 16 writers registering new schemas into
// three subjects at once, the way the domain does (InTx, SubjectLock,
// VersionMax+1, VersionInsert). Every registration must succeed, each
// subject's versions must run 1..n without gaps, and every schema must get
// its own id.
func testConcurrentRegistrations(t *testing.T, s registry.Store) {
	concurrentRegistrations(t, s, []string{"c0", "c1", "c2"})
}

// testConcurrentContexts is testConcurrentRegistrations across contexts:
// writers of two named contexts and the default one at once. Ids are
// unique within each context, and each named context counts from 1.
func testConcurrentContexts(t *testing.T, s registry.Store) {
	concurrentRegistrations(t, s, []string{":.a:c0", ":.a:c1", ":.b:c0", "c0"})
}

func concurrentRegistrations(t *testing.T, s registry.Store, subjects []string) {
	const (
		writers   = 16
		perWriter = 20
	)
	ctx := t.Context()

	errs := make(chan error, writers*perWriter)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				subject := subjects[(w+i)%len(subjects)]
				if _, err := register(ctx, s, subject, fmt.Sprintf(`"w%d-%d"`, w, i)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	ids := make(map[registry.SchemaKey]string)
	total := 0
	for _, subject := range subjects {
		vs, err := s.VersionList(ctx, subject, true)
		mustOK(t, "VersionList", err)
		for i, v := range vs {
			if v.Version != i+1 {
				t.Fatalf("%s: version at position %d is %d: versions have a gap or a duplicate", subject, i, v.Version)
			}
			key := registry.SchemaKey{Context: registry.ContextOf(subject), ID: v.SchemaID}
			if prev, dup := ids[key]; dup {
				t.Errorf("schema id %v used by %s and %s/%d", key, prev, subject, v.Version)
			}
			ids[key] = fmt.Sprintf("%s/%d", subject, v.Version)
		}
		total += len(vs)
	}
	if total != writers*perWriter {
		t.Errorf("%d versions stored, want %d", total, writers*perWriter)
	}
	for key := range ids {
		if _, ok := ids[registry.SchemaKey{Context: key.Context, ID: 1}]; key.Context != registry.DefaultContext && !ok {
			t.Errorf("context %s does not count from 1", key.Context)
		}
	}
}
