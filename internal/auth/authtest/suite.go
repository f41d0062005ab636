package authtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/auth"
)

// RunStoreTests is the conformance suite of auth.Store: every
// implementation's tests call it with a constructor that returns a fresh,
// empty store.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) auth.Store) {
	t.Helper()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 123000, time.UTC)
	grants := []auth.Grant{{Role: auth.Writer, Pattern: "payments.*"}, {Role: auth.Reader, Pattern: auth.AllSubjects}}

	t.Run("TokenRoundTripsEveryField", func(t *testing.T) {
		t.Parallel()
		ctx, s := context.Background(), newStore(t)
		want := auth.Token{ID: "a1", Name: "ci", Hash: auth.HashToken("secret-1"), Grants: grants,
			CreatedBy: "alice", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.TokenInsert(ctx, want); err != nil {
			t.Fatalf("TokenInsert: %v", err)
		}
		got, err := s.TokenGetByHash(ctx, want.Hash)
		if err != nil {
			t.Fatalf("TokenGetByHash: %v", err)
		}
		assertToken(t, *got, want)
	})

	t.Run("TokenDuplicateIsConflict", func(t *testing.T) {
		t.Parallel()
		ctx, s := context.Background(), newStore(t)
		tok := auth.Token{ID: "a1", Name: "ci", Hash: auth.HashToken("x"), Grants: grants, CreatedAt: t0}
		if err := s.TokenInsert(ctx, tok); err != nil {
			t.Fatalf("TokenInsert: %v", err)
		}
		sameID := tok
		sameID.Hash = auth.HashToken("y")
		sameHash := tok
		sameHash.ID = "b2"
		for _, dup := range []auth.Token{sameID, sameHash} {
			if err := s.TokenInsert(ctx, dup); !errors.Is(err, auth.ErrConflict) {
				t.Errorf("TokenInsert(%s) = %v, want ErrConflict", dup.ID, err)
			}
		}
	})

	t.Run("UnknownTokenIsNotFound", func(t *testing.T) {
		t.Parallel()
		ctx, s := context.Background(), newStore(t)
		if _, err := s.TokenGetByHash(ctx, auth.HashToken("nope")); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("TokenGetByHash = %v, want ErrNotFound", err)
		}
		if err := s.TokenRevoke(ctx, "nope", t0); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("TokenRevoke = %v, want ErrNotFound", err)
		}
	})

	t.Run("RevokeKeepsTheFirstTimeAndListsOldestFirst", func(t *testing.T) {
		t.Parallel()
		ctx, s := context.Background(), newStore(t)
		for i, id := range []string{"second", "first"} {
			tok := auth.Token{ID: id, Name: id, Hash: auth.HashToken(id), Grants: grants, CreatedAt: t0.Add(time.Duration(1-i) * time.Minute)}
			if err := s.TokenInsert(ctx, tok); err != nil {
				t.Fatalf("TokenInsert: %v", err)
			}
		}
		if err := s.TokenRevoke(ctx, "first", t0.Add(time.Hour)); err != nil {
			t.Fatalf("TokenRevoke: %v", err)
		}
		if err := s.TokenRevoke(ctx, "first", t0.Add(2*time.Hour)); err != nil {
			t.Fatalf("TokenRevoke again: %v", err)
		}
		list, err := s.TokenList(ctx, 0, 0)
		if err != nil {
			t.Fatalf("TokenList: %v", err)
		}
		if len(list) != 2 || list[0].ID != "first" || list[1].ID != "second" {
			t.Fatalf("TokenList = %+v, want first then second", list)
		}
		for _, pg := range []struct {
			offset, limit int
			want          []string
		}{
			{0, 1, []string{"first"}}, {1, 1, []string{"second"}}, {1, 0, []string{"second"}}, {2, 5, nil},
		} {
			got, err := s.TokenList(ctx, pg.offset, pg.limit)
			if err != nil {
				t.Fatalf("TokenList(%d, %d): %v", pg.offset, pg.limit, err)
			}
			var ids []string
			for _, tok := range got {
				ids = append(ids, tok.ID)
			}
			if !slices.Equal(ids, pg.want) {
				t.Errorf("TokenList(%d, %d) = %v, want %v", pg.offset, pg.limit, ids, pg.want)
			}
		}
		if !list[0].RevokedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("RevokedAt = %s, want %s", list[0].RevokedAt, t0.Add(time.Hour))
		}
		if !list[1].RevokedAt.IsZero() {
			t.Errorf("unrevoked token has RevokedAt %s", list[1].RevokedAt)
		}
	})

	t.Run("UserUpsertGetListDelete", func(t *testing.T) {
		t.Parallel()
		ctx, s := context.Background(), newStore(t)
		u := auth.User{Name: "bob", PasswordHash: "$2a$04$hash", Grants: grants, CreatedAt: t0, UpdatedAt: t0}
		if err := s.UserUpsert(ctx, u); err != nil {
			t.Fatalf("UserUpsert: %v", err)
		}
		u.PasswordHash, u.Grants, u.UpdatedAt = "$2a$04$other", grants[:1], t0.Add(time.Minute)
		if err := s.UserUpsert(ctx, u); err != nil {
			t.Fatalf("UserUpsert (replace): %v", err)
		}
		if err := s.UserUpsert(ctx, auth.User{Name: "alice", PasswordHash: "$2a$04$a", Grants: grants, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatalf("UserUpsert: %v", err)
		}
		got, err := s.UserGet(ctx, "bob")
		if err != nil {
			t.Fatalf("UserGet: %v", err)
		}
		if got.PasswordHash != u.PasswordHash || len(got.Grants) != 1 || got.Grants[0] != grants[0] ||
			!got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(u.UpdatedAt) {
			t.Errorf("UserGet = %+v, want %+v", got, u)
		}
		list, err := s.UserList(ctx)
		if err != nil {
			t.Fatalf("UserList: %v", err)
		}
		if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" {
			t.Errorf("UserList = %+v, want alice, bob", list)
		}
		if err := s.UserDelete(ctx, "bob"); err != nil {
			t.Fatalf("UserDelete: %v", err)
		}
		if _, err := s.UserGet(ctx, "bob"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("UserGet after delete = %v, want ErrNotFound", err)
		}
		if err := s.UserDelete(ctx, "bob"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("UserDelete twice = %v, want ErrNotFound", err)
		}
	})
}

func assertToken(t *testing.T, got, want auth.Token) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Hash != want.Hash || got.CreatedBy != want.CreatedBy ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) || !got.RevokedAt.Equal(want.RevokedAt) {
		t.Errorf("token = %+v, want %+v", got, want)
	}
	if len(got.Grants) != len(want.Grants) {
		t.Fatalf("grants = %v, want %v", got.Grants, want.Grants)
	}
	for i := range got.Grants {
		if got.Grants[i] != want.Grants[i] {
			t.Errorf("grant %d = %v, want %v", i, got.Grants[i], want.Grants[i])
		}
	}
}
