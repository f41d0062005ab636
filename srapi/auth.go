package srapi

import "time"

// Grants are spelled "role:pattern": role reader, writer or admin; pattern
// a subject, a prefix ending in *, or * for every subject.

// Whoami answers GET /v1/auth/whoami: the caller's identity and grants.
type Whoami struct {
	Name string `json:"name"`
	// Method is how the caller authenticated: basic, token, mtls or
	// anonymous.
	Method  string   `json:"method"`
	TokenID string   `json:"tokenId,omitempty"`
	Grants  []string `json:"grants"`
}

// Token describes an API token, as GET /v1/auth/tokens lists them and
// POST /v1/auth/tokens answers (201). The secret appears only in the
// answer that creates the token.
type Token struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Grants    []string   `json:"grants"`
	CreatedBy string     `json:"createdBy,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	// Token is the secret, set only when the token is created.
	Token string `json:"token,omitempty"`
}

// CreateTokenRequest is the body of POST /v1/auth/tokens.
type CreateTokenRequest struct {
	Name   string   `json:"name"`
	Grants []string `json:"grants"`
	// TTL is a Go duration ("720h"); empty for a token that never expires.
	TTL string `json:"ttl,omitempty"`
}

// User describes a user, never its password hash, as GET /v1/auth/users
// lists them and PUT /v1/auth/users/{name} answers.
type User struct {
	Name   string   `json:"name"`
	Grants []string `json:"grants"`
	// Source is "config" for users of the configuration file, "database"
	// for users managed through the API.
	Source    string     `json:"source"`
	CreatedAt *time.Time `json:"createdAt,omitempty"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
}

// PutUserRequest is the body of PUT /v1/auth/users/{name}.
type PutUserRequest struct {
	Password string   `json:"password"`
	Grants   []string `json:"grants"`
}
