// Package authtest helps test code that uses auth: an in-memory
// auth.Store and the conformance suite every Store implementation runs.
//
// It depends on auth and the standard library only; production code must
// not import it.
package authtest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schemata-dev/schemata/internal/auth"
)

// MemoryStore is an auth.Store kept in memory. It is safe for concurrent
// use.
type MemoryStore struct {
	mu     sync.Mutex
	tokens []auth.Token
	users  map[string]auth.User
}

var _ auth.Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{users: map[string]auth.User{}}
}

// TokenInsert implements auth.TokenStore.
func (m *MemoryStore) TokenInsert(_ context.Context, t auth.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.tokens {
		if o.ID == t.ID || o.Hash == t.Hash {
			return fmt.Errorf("token %s: %w", t.ID, auth.ErrConflict)
		}
	}
	t.Grants = slices.Clone(t.Grants)
	m.tokens = append(m.tokens, t)
	return nil
}

// TokenGetByHash implements auth.TokenStore.
func (m *MemoryStore) TokenGetByHash(_ context.Context, hash string) (*auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tokens {
		if t.Hash == hash {
			t.Grants = slices.Clone(t.Grants)
			return &t, nil
		}
	}
	return nil, fmt.Errorf("token: %w", auth.ErrNotFound)
}

// TokenList implements auth.TokenStore.
func (m *MemoryStore) TokenList(_ context.Context, offset, limit int) ([]auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.tokens)
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	out = out[min(max(offset, 0), len(out)):]
	if limit > 0 && limit < len(out) {
		out = out[:limit]
	}
	return out, nil
}

// TokenRevoke implements auth.TokenStore.
func (m *MemoryStore) TokenRevoke(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.tokens {
		if m.tokens[i].ID == id {
			if m.tokens[i].RevokedAt.IsZero() {
				m.tokens[i].RevokedAt = at
			}
			return nil
		}
	}
	return fmt.Errorf("token %s: %w", id, auth.ErrNotFound)
}

// UserUpsert implements auth.UserStore.
func (m *MemoryStore) UserUpsert(_ context.Context, u auth.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u.Grants = slices.Clone(u.Grants)
	m.users[u.Name] = u
	return nil
}

// UserGet implements auth.UserStore.
func (m *MemoryStore) UserGet(_ context.Context, name string) (*auth.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[name]
	if !ok {
		return nil, fmt.Errorf("user %s: %w", name, auth.ErrNotFound)
	}
	return &u, nil
}

// UserList implements auth.UserStore.
func (m *MemoryStore) UserList(context.Context) ([]auth.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]auth.User, 0, len(m.users))
	for _, u := range m.users {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b auth.User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// UserDelete implements auth.UserStore.
func (m *MemoryStore) UserDelete(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[name]; !ok {
		return fmt.Errorf("user %s: %w", name, auth.ErrNotFound)
	}
	delete(m.users, name)
	return nil
}
