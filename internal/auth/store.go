package auth

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors of Store implementations, which wrap them.
var (
	// ErrNotFound: no such token or user.
	ErrNotFound = errors.New("auth: not found")
	// ErrConflict: a token with that id or hash already exists.
	ErrConflict = errors.New("auth: conflict")
)

// Token is an API token as stored: never its secret, only the secret's
// SHA-256 hash.
type Token struct {
	// ID is the token's public identifier, used to list and revoke it.
	ID string
	// Name is a label chosen by whoever created the token.
	Name string
	// Hash is HashToken of the secret.
	Hash   string
	Grants []Grant
	// CreatedBy names the principal that created the token.
	CreatedBy string
	CreatedAt time.Time
	// ExpiresAt is when the token stops working; zero for never.
	ExpiresAt time.Time
	// RevokedAt is when the token was revoked; zero while it is active.
	RevokedAt time.Time
}

// Active reports whether t authenticates at now.
func (t *Token) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// User is a user kept in the database (users may also come from the
// configuration file).
type User struct {
	Name string
	// PasswordHash is the bcrypt hash of the password.
	PasswordHash string
	Grants       []Grant
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TokenStore persists API tokens.
type TokenStore interface {
	// TokenInsert stores a new token; ErrConflict when its id or hash is
	// taken.
	TokenInsert(ctx context.Context, t Token) error
	// TokenGetByHash returns the token whose secret hashes to hash, revoked
	// or not; ErrNotFound when none does.
	TokenGetByHash(ctx context.Context, hash string) (*Token, error)
	// TokenList returns the tokens, revoked ones included, oldest first:
	// limit of them from offset on (limit <= 0: every one from offset).
	TokenList(ctx context.Context, offset, limit int) ([]Token, error)
	// TokenRevoke marks a token revoked at the given time; ErrNotFound
	// when there is no such token. Revoking a revoked token keeps the
	// first time.
	TokenRevoke(ctx context.Context, id string, at time.Time) error
}

// UserStore persists database users.
type UserStore interface {
	// UserUpsert creates or replaces a user.
	UserUpsert(ctx context.Context, u User) error
	// UserGet returns a user; ErrNotFound when there is none.
	UserGet(ctx context.Context, name string) (*User, error)
	// UserList returns every user, by name.
	UserList(ctx context.Context) ([]User, error)
	// UserDelete removes a user; ErrNotFound when there is none.
	UserDelete(ctx context.Context, name string) error
}

// Store persists tokens and users. storage/postgres and storage/sqlite
// implement it.
type Store interface {
	TokenStore
	UserStore
}
