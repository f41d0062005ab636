package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
)

// Auth implements auth.Store, API tokens and database users, in the
// auth_tokens and auth_users tables (migration 00003_auth.sql).
type Auth struct {
	conn Conn
	d    Dialect
}

var _ auth.Store = (*Auth)(nil)

// NewAuth returns an Auth running its statements on c in dialect d.
func NewAuth(c Conn, d Dialect) *Auth { return &Auth{conn: c, d: d} }

// errorf formats a store error, prefixed by the backend's name; err is
// translated onto auth's sentinels.
func (a *Auth) errorf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", a.d.Name(), what, translateAuth(a.d, err))
}

func (a *Auth) encodeGrants(gs []auth.Grant) (string, error) {
	if gs == nil {
		gs = []auth.Grant{}
	}
	b, err := json.Marshal(gs)
	if err != nil {
		return "", fmt.Errorf("%s: encode grants: %w", a.d.Name(), err)
	}
	return string(b), nil
}

func decodeGrants(b []byte) ([]auth.Grant, error) {
	var gs []auth.Grant
	if err := json.Unmarshal(b, &gs); err != nil {
		return nil, fmt.Errorf("stored grants: %w", err)
	}
	return gs, nil
}

// optTime encodes t as a statement argument, the zero time as NULL.
func (a *Auth) optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return a.d.Time(t.UTC())
}

// getOne reads the row query returns with scan; what names the read in
// the error.
func getOne[T any](ctx context.Context, a *Auth, scan func(Row) (T, error), what, query string, args ...any) (*T, error) {
	v, err := scan(a.conn.Reader().QueryRow(ctx, query, args...))
	if err != nil {
		return nil, a.errorf(what, err)
	}
	return &v, nil
}

// oneRow turns an update or delete that matched nothing into
// auth.ErrNotFound.
func (a *Auth) oneRow(n int64, err error, what string) error {
	if err != nil {
		return a.errorf(what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %s: %w", a.d.Name(), what, auth.ErrNotFound)
	}
	return nil
}

// TokenInsert implements auth.TokenStore.
func (a *Auth) TokenInsert(ctx context.Context, t auth.Token) error {
	grants, err := a.encodeGrants(t.Grants)
	if err != nil {
		return err
	}
	_, err = a.conn.Writer().Exec(ctx, `INSERT INTO auth_tokens
		(id, name, hash, grants, created_by, created_at, expires_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.Name, t.Hash, grants, t.CreatedBy, a.d.Time(t.CreatedAt.UTC()), a.optTime(t.ExpiresAt), a.optTime(t.RevokedAt))
	if err != nil {
		return a.errorf("insert token", err)
	}
	return nil
}

const tokenColumns = `id, name, hash, grants, created_by, created_at, expires_at, revoked_at`

func scanToken(row Row) (auth.Token, error) {
	var (
		t      auth.Token
		grants []byte
	)
	err := row.Scan(&t.ID, &t.Name, &t.Hash, &grants, &t.CreatedBy,
		scanTime(&t.CreatedAt), scanOptTime(&t.ExpiresAt), scanOptTime(&t.RevokedAt))
	if err != nil {
		return t, err
	}
	t.Grants, err = decodeGrants(grants)
	return t, err
}

// TokenGetByHash implements auth.TokenStore.
func (a *Auth) TokenGetByHash(ctx context.Context, hash string) (*auth.Token, error) {
	return getOne(ctx, a, scanToken, "get token", `SELECT `+tokenColumns+` FROM auth_tokens WHERE hash = $1`, hash)
}

// TokenList implements auth.TokenStore.
func (a *Auth) TokenList(ctx context.Context, offset, lim int) ([]auth.Token, error) {
	out, err := queryAll(ctx, a.conn.Reader(), scanToken,
		`SELECT `+tokenColumns+` FROM auth_tokens ORDER BY created_at, id LIMIT $1 OFFSET $2`, limit(lim), max(offset, 0))
	if err != nil {
		return nil, a.errorf("list tokens", err)
	}
	return out, nil
}

// TokenRevoke implements auth.TokenStore. Every process watching the
// store hears of it (registry.ChangeAuth), so their caches forget it.
func (a *Auth) TokenRevoke(ctx context.Context, id string, at time.Time) error {
	return a.notifying(ctx, func(tx Conn) error {
		n, err := tx.Writer().Exec(ctx, `UPDATE auth_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`,
			a.d.Time(at.UTC()), id)
		return a.oneRow(n, err, "revoke token "+id)
	})
}

// notifying runs write in a transaction that also publishes a
// registry.ChangeAuth, delivered when it commits.
func (a *Auth) notifying(ctx context.Context, write func(tx Conn) error) error {
	return a.conn.Atomically(ctx, func(tx Conn) error {
		if err := write(tx); err != nil {
			return err
		}
		return tx.Notify(ctx, registry.Change{Kind: registry.ChangeAuth})
	})
}

// UserUpsert implements auth.UserStore.
func (a *Auth) UserUpsert(ctx context.Context, u auth.User) error {
	grants, err := a.encodeGrants(u.Grants)
	if err != nil {
		return err
	}
	return a.notifying(ctx, func(tx Conn) error {
		_, err := tx.Writer().Exec(ctx, `INSERT INTO auth_users (name, password_hash, grants, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, grants = excluded.grants,
				updated_at = excluded.updated_at`,
			u.Name, u.PasswordHash, grants, a.d.Time(u.CreatedAt.UTC()), a.d.Time(u.UpdatedAt.UTC()))
		if err != nil {
			return a.errorf("upsert user", err)
		}
		return nil
	})
}

const userColumns = `name, password_hash, grants, created_at, updated_at`

func scanUser(row Row) (auth.User, error) {
	var (
		u      auth.User
		grants []byte
	)
	if err := row.Scan(&u.Name, &u.PasswordHash, &grants, scanTime(&u.CreatedAt), scanTime(&u.UpdatedAt)); err != nil {
		return u, err
	}
	var err error
	u.Grants, err = decodeGrants(grants)
	return u, err
}

// UserGet implements auth.UserStore.
func (a *Auth) UserGet(ctx context.Context, name string) (*auth.User, error) {
	return getOne(ctx, a, scanUser, "get user", `SELECT `+userColumns+` FROM auth_users WHERE name = $1`, name)
}

// UserList implements auth.UserStore.
func (a *Auth) UserList(ctx context.Context) ([]auth.User, error) {
	out, err := queryAll(ctx, a.conn.Reader(), scanUser, `SELECT `+userColumns+` FROM auth_users ORDER BY name`)
	if err != nil {
		return nil, a.errorf("list users", err)
	}
	return out, nil
}

// UserDelete implements auth.UserStore.
func (a *Auth) UserDelete(ctx context.Context, name string) error {
	return a.notifying(ctx, func(tx Conn) error {
		n, err := tx.Writer().Exec(ctx, `DELETE FROM auth_users WHERE name = $1`, name)
		return a.oneRow(n, err, "delete user "+name)
	})
}
