package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
)

// The embedded store keeps API tokens and database users (auth.Store) in
// the auth_tokens and auth_users tables (migration 00003_auth.sql).

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

func authEncodeGrants(gs []auth.Grant) (string, error) {
	if gs == nil {
		gs = []auth.Grant{}
	}
	b, err := json.Marshal(gs)
	if err != nil {
		return "", fmt.Errorf("sqlite: encode grants: %w", err)
	}
	return string(b), nil
}

func authDecodeGrants(s string) ([]auth.Grant, error) {
	var gs []auth.Grant
	if err := json.Unmarshal([]byte(s), &gs); err != nil {
		return nil, fmt.Errorf("sqlite: stored grants: %w", err)
	}
	return gs, nil
}

func authOptTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func authParseOptTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// TokenInsert implements auth.TokenStore.
func (s *Store) TokenInsert(ctx context.Context, t auth.Token) error {
	grants, err := authEncodeGrants(t.Grants)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO auth_tokens
		(id, name, hash, grants, created_by, created_at, expires_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Name, t.Hash, grants, t.CreatedBy, formatTime(t.CreatedAt), authOptTime(t.ExpiresAt), authOptTime(t.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert token: %w", authErr(err))
	}
	return nil
}

const authTokenColumns = `id, name, hash, grants, created_by, created_at, expires_at, revoked_at`

func authScanToken(row interface{ Scan(...any) error }) (*auth.Token, error) {
	var (
		t                auth.Token
		grants, created  string
		expires, revoked sql.NullString
	)
	if err := row.Scan(&t.ID, &t.Name, &t.Hash, &grants, &t.CreatedBy, &created, &expires, &revoked); err != nil {
		return nil, err
	}
	var err error
	if t.Grants, err = authDecodeGrants(grants); err != nil {
		return nil, err
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if t.ExpiresAt, err = authParseOptTime(expires); err != nil {
		return nil, err
	}
	if t.RevokedAt, err = authParseOptTime(revoked); err != nil {
		return nil, err
	}
	return &t, nil
}

// TokenGetByHash implements auth.TokenStore.
func (s *Store) TokenGetByHash(ctx context.Context, hash string) (*auth.Token, error) {
	t, err := authScanToken(s.read.QueryRowContext(ctx, `SELECT `+authTokenColumns+` FROM auth_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get token: %w", authErr(err))
	}
	return t, nil
}

// TokenList implements auth.TokenStore.
func (s *Store) TokenList(ctx context.Context) ([]auth.Token, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+authTokenColumns+` FROM auth_tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", authErr(err))
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		t, err := authScanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tokens: %w", authErr(err))
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", authErr(err))
	}
	return out, nil
}

// TokenRevoke implements auth.TokenStore.
func (s *Store) TokenRevoke(ctx context.Context, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx,
		`UPDATE auth_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: revoke token: %w", authErr(err))
	}
	return authOneRow(res, "token "+id)
}

// expectOneRow turns an update or delete that matched nothing into
// auth.ErrNotFound.
func authOneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", what, auth.ErrNotFound)
	}
	return nil
}

// UserUpsert implements auth.UserStore.
func (s *Store) UserUpsert(ctx context.Context, u auth.User) error {
	grants, err := authEncodeGrants(u.Grants)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO auth_users (name, password_hash, grants, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, grants = excluded.grants,
			updated_at = excluded.updated_at`,
		u.Name, u.PasswordHash, grants, formatTime(u.CreatedAt), formatTime(u.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: upsert user: %w", authErr(err))
	}
	return nil
}

const authUserColumns = `name, password_hash, grants, created_at, updated_at`

func authScanUser(row interface{ Scan(...any) error }) (*auth.User, error) {
	var (
		u                        auth.User
		grants, created, updated string
	)
	if err := row.Scan(&u.Name, &u.PasswordHash, &grants, &created, &updated); err != nil {
		return nil, err
	}
	var err error
	if u.Grants, err = authDecodeGrants(grants); err != nil {
		return nil, err
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if u.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserGet implements auth.UserStore.
func (s *Store) UserGet(ctx context.Context, name string) (*auth.User, error) {
	u, err := authScanUser(s.read.QueryRowContext(ctx, `SELECT `+authUserColumns+` FROM auth_users WHERE name = ?`, name))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get user: %w", authErr(err))
	}
	return u, nil
}

// UserList implements auth.UserStore.
func (s *Store) UserList(ctx context.Context) ([]auth.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+authUserColumns+` FROM auth_users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", authErr(err))
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := authScanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list users: %w", authErr(err))
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", authErr(err))
	}
	return out, nil
}

// UserDelete implements auth.UserStore.
func (s *Store) UserDelete(ctx context.Context, name string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM auth_users WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("sqlite: delete user: %w", authErr(err))
	}
	return authOneRow(res, "user "+name)
}
