-- Authentication: API tokens (stored only as SHA-256 hashes of their
-- secrets) and users managed through the admin API (bcrypt hashes).
-- Grants are JSON arrays of "role:pattern" strings, e.g.
-- ["writer:payments.*","reader:*"]. Times are TEXT in UTC RFC 3339, as in
-- 00001_init.sql; expires_at and revoked_at are NULL when unset.

-- +goose Up
CREATE TABLE auth_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    grants     TEXT NOT NULL CHECK (json_valid(grants)),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
) STRICT;

CREATE TABLE auth_users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    grants        TEXT NOT NULL CHECK (json_valid(grants)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- +goose Down
DROP TABLE auth_users;
DROP TABLE auth_tokens;
