package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// pausingStore runs hook (once armed, once only) when a consumer has
// been read, inside a transaction or not, and returns what was read a
// moment later: the window in which a check done outside the write's transaction
// would see a record that a concurrent request is replacing.
type pausingStore struct {
	registry.Store
	armed atomic.Bool
	hook  func()
}

func (s *pausingStore) pause() {
	if s.armed.CompareAndSwap(true, false) {
		s.hook()
		time.Sleep(300 * time.Millisecond)
	}
}

func (s *pausingStore) ConsumerGet(ctx context.Context, name string) (*registry.Consumer, error) {
	c, err := s.Store.ConsumerGet(ctx, name)
	s.pause()
	return c, err
}

func (s *pausingStore) InTx(ctx context.Context, fn func(ctx context.Context, tx registry.Executor) error) error {
	return s.Store.InTx(ctx, func(ctx context.Context, tx registry.Executor) error {
		cs, ok := tx.(registry.ConsumerStore)
		if !ok {
			return fn(ctx, tx)
		}
		return fn(ctx, pausingTx{Executor: tx, ConsumerStore: cs, s: s})
	})
}

type pausingTx struct {
	registry.Executor
	registry.ConsumerStore
	s *pausingStore
}

func (t pausingTx) ConsumerGet(ctx context.Context, name string) (*registry.Consumer, error) {
	c, err := t.ConsumerStore.ConsumerGet(ctx, name)
	t.s.pause()
	return c, err
}

// TestConsumerReplaceChecksTheRecordItWrites: replacing a consumer needs
// the writer role on every subject the replaced record reads, and that
// check runs in the write's transaction. A team writer replaces the
// consumer "shared" (reading its own subject) while an admin concurrently
// repoints it at another team's subject; whatever the interleaving, the
// team's write never replaces the admin's record: either it is refused,
// or it lands before the admin's, which then wins. On both stores.
func TestConsumerReplaceChecksTheRecordItWrites(t *testing.T) {
	t.Parallel()
	servertest.ForEachBackend(t, func(t *testing.T, b servertest.Backend) {
		store := &pausingStore{Store: b.NewStore(t)}
		reg := servertest.Start(t, servertest.WithStore(store), servertest.WithAuth([]servertest.User{
			{Name: "root", Password: "pw", Grants: []string{"admin:*"}},
			{Name: "team-a", Password: "pw", Grants: []string{"writer:team-a-*"}},
		}, ""))
		put := func(user, owner, subject string) int {
			body, err := json.Marshal(srapi.Consumer{Owner: owner, Reads: []srapi.ConsumerRead{{Subject: subject, Fields: []string{"id"}}}})
			if err != nil {
				t.Error(err)
				return 0
			}
			// Also called from the admin's goroutine: errors, not fatals.
			status, _, err := tryRequestAs(user, http.MethodPut, reg.URL()+"/v1/consumers/shared", srapi.ContentType, string(body))
			if err != nil {
				t.Error(err)
			}
			return status
		}
		if status := put("root", "team-a", "team-a-orders"); status >= 300 {
			t.Fatalf("create: %d", status)
		}
		var wg sync.WaitGroup
		var adminStatus atomic.Int64
		store.hook = func() {
			wg.Go(func() { adminStatus.Store(int64(put("root", "team-b", "team-b-payments"))) })
		}
		store.armed.Store(true)
		teamStatus := put("team-a", "team-a-again", "team-a-orders")
		wg.Wait()
		if got := adminStatus.Load(); got >= 300 {
			t.Fatalf("the admin's concurrent replace answered %d", got)
		}
		if teamStatus >= 300 && teamStatus != http.StatusForbidden {
			t.Fatalf("the team's replace answered %d, want success or 403", teamStatus)
		}
		status, body := adminDo(t, http.MethodGet, reg.URL()+"/v1/consumers/shared", "", "")
		var got srapi.Consumer
		if err := json.Unmarshal([]byte(body), &got); status != http.StatusOK || err != nil {
			t.Fatalf("GET: %d %s", status, body)
		}
		if got.Owner != "team-b" {
			t.Errorf("the consumer is %+v after the team's replace answered %d: the team replaced a record reading a subject it may not write", got, teamStatus)
		}
	})
}
