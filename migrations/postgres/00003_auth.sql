-- Authentication: API tokens (stored only as SHA-256 hashes of their
-- secrets) and users managed through the admin API (bcrypt hashes).
-- Grants are JSON arrays of "role:pattern" strings, e.g.
-- ["writer:payments.*","reader:*"].

-- +goose Up
CREATE TABLE auth_tokens (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    hash       text NOT NULL UNIQUE,
    grants     jsonb NOT NULL,
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz
);

CREATE TABLE auth_users (
    name          text PRIMARY KEY,
    password_hash text NOT NULL,
    grants        jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- +goose Down
DROP TABLE auth_users;
DROP TABLE auth_tokens;
