package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
)

// The PostgreSQL store keeps API tokens and database users (auth.Store)
// in the auth_tokens and auth_users tables (migration 00003_auth.sql).

var _ auth.Store = (*Store)(nil)

// authErr maps the registry's storage sentinels, which translate yields,
// onto auth's.
func authErr(err error) error {
	err = translate(err)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return fmt.Errorf("%w (%w)", auth.ErrNotFound, err)
	case errors.Is(err, registry.ErrConflict):
		return fmt.Errorf("%w (%w)", auth.ErrConflict, err)
	}
	return err
}

func authEncodeGrants(gs []auth.Grant) ([]byte, error) {
	if gs == nil {
		gs = []auth.Grant{}
	}
	b, err := json.Marshal(gs)
	if err != nil {
		return nil, fmt.Errorf("postgres: encode grants: %w", err)
	}
	return b, nil
}

func authDecodeGrants(b []byte) ([]auth.Grant, error) {
	var gs []auth.Grant
	if err := json.Unmarshal(b, &gs); err != nil {
		return nil, fmt.Errorf("postgres: stored grants: %w", err)
	}
	return gs, nil
}

// authOptTime is nil for the zero time (a NULL column).
func authOptTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func authFromOptTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// authOneRow turns an update or delete that matched nothing into
// auth.ErrNotFound.
func authOneRow(tag pgconn.CommandTag, what string) error {
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", what, auth.ErrNotFound)
	}
	return nil
}

// TokenInsert implements auth.TokenStore.
func (s *Store) TokenInsert(ctx context.Context, t auth.Token) error {
	grants, err := authEncodeGrants(t.Grants)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO auth_tokens
		(id, name, hash, grants, created_by, created_at, expires_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.Name, t.Hash, string(grants), t.CreatedBy, t.CreatedAt, authOptTime(t.ExpiresAt), authOptTime(t.RevokedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert token: %w", authErr(err))
	}
	return nil
}

const authTokenColumns = `id, name, hash, grants, created_by, created_at, expires_at, revoked_at`

func authScanToken(row pgx.Row) (*auth.Token, error) {
	var (
		t                auth.Token
		grants           []byte
		expires, revoked *time.Time
	)
	if err := row.Scan(&t.ID, &t.Name, &t.Hash, &grants, &t.CreatedBy, &t.CreatedAt, &expires, &revoked); err != nil {
		return nil, err
	}
	var err error
	if t.Grants, err = authDecodeGrants(grants); err != nil {
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.ExpiresAt, t.RevokedAt = authFromOptTime(expires), authFromOptTime(revoked)
	return &t, nil
}

// TokenGetByHash implements auth.TokenStore.
func (s *Store) TokenGetByHash(ctx context.Context, hash string) (*auth.Token, error) {
	t, err := authScanToken(s.pool.QueryRow(ctx, `SELECT `+authTokenColumns+` FROM auth_tokens WHERE hash = $1`, hash))
	if err != nil {
		return nil, fmt.Errorf("postgres: get token: %w", authErr(err))
	}
	return t, nil
}

// TokenList implements auth.TokenStore.
func (s *Store) TokenList(ctx context.Context) ([]auth.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+authTokenColumns+` FROM auth_tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", authErr(err))
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		t, err := authScanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list tokens: %w", authErr(err))
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", authErr(err))
	}
	return out, nil
}

// TokenRevoke implements auth.TokenStore.
func (s *Store) TokenRevoke(ctx context.Context, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE auth_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, at, id)
	if err != nil {
		return fmt.Errorf("postgres: revoke token: %w", authErr(err))
	}
	return authOneRow(tag, "token "+id)
}

// UserUpsert implements auth.UserStore.
func (s *Store) UserUpsert(ctx context.Context, u auth.User) error {
	grants, err := authEncodeGrants(u.Grants)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO auth_users (name, password_hash, grants, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, grants = excluded.grants,
			updated_at = excluded.updated_at`,
		u.Name, u.PasswordHash, string(grants), u.CreatedAt, u.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: upsert user: %w", authErr(err))
	}
	return nil
}

const authUserColumns = `name, password_hash, grants, created_at, updated_at`

func authScanUser(row pgx.Row) (*auth.User, error) {
	var (
		u      auth.User
		grants []byte
	)
	if err := row.Scan(&u.Name, &u.PasswordHash, &grants, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return nil, err
	}
	var err error
	if u.Grants, err = authDecodeGrants(grants); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// UserGet implements auth.UserStore.
func (s *Store) UserGet(ctx context.Context, name string) (*auth.User, error) {
	u, err := authScanUser(s.pool.QueryRow(ctx, `SELECT `+authUserColumns+` FROM auth_users WHERE name = $1`, name))
	if err != nil {
		return nil, fmt.Errorf("postgres: get user: %w", authErr(err))
	}
	return u, nil
}

// UserList implements auth.UserStore.
func (s *Store) UserList(ctx context.Context) ([]auth.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+authUserColumns+` FROM auth_users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", authErr(err))
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := authScanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list users: %w", authErr(err))
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", authErr(err))
	}
	return out, nil
}

// UserDelete implements auth.UserStore.
func (s *Store) UserDelete(ctx context.Context, name string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM auth_users WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("postgres: delete user: %w", authErr(err))
	}
	return authOneRow(tag, "user "+name)
}
