package auth

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Role is a level of access. Each role includes the ones below it: a
// writer may read and an admin may write.
type Role int

// Roles, weakest first.
const (
	// Reader may read schemas, subjects, versions, config and mode, and
	// check compatibility.
	Reader Role = iota + 1
	// Writer may also register schemas and soft-delete versions.
	Writer
	// Admin may also delete for good and change config and mode; a global
	// admin (granted on "*") also manages tokens and users and changes the
	// global config and mode.
	Admin
)

// String returns the role's name as written in configuration.
func (r Role) String() string {
	switch r {
	case Reader:
		return "reader"
	case Writer:
		return "writer"
	case Admin:
		return "admin"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// ParseRole parses a role name (reader, writer or admin).
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "reader":
		return Reader, nil
	case "writer":
		return Writer, nil
	case "admin":
		return Admin, nil
	}
	return 0, fmt.Errorf("auth: unknown role %q: use reader, writer or admin", s)
}

// AllSubjects is the pattern that matches every subject; a grant on it is
// global.
const AllSubjects = "*"

// Grant gives a role on the subjects a pattern matches. A pattern ending
// in "*" matches every subject that starts with what precedes the star
// ("payments.*", or "*" for all); any other pattern matches one subject
// exactly.
type Grant struct {
	Role    Role
	Pattern string
}

// ParseGrant parses the text form "role:pattern", for example
// "writer:payments.*" or "reader:*".
func ParseGrant(s string) (Grant, error) {
	role, pattern, ok := strings.Cut(s, ":")
	if !ok {
		return Grant{}, fmt.Errorf("auth: grant %q: want role:pattern, e.g. writer:payments.*", s)
	}
	r, err := ParseRole(role)
	if err != nil {
		return Grant{}, fmt.Errorf("auth: grant %q: %w", s, err)
	}
	pattern = strings.TrimSpace(pattern)
	if !encodable(pattern) {
		return Grant{}, fmt.Errorf("auth: grant %q: the subject pattern holds a NUL byte or invalid UTF-8", s)
	}
	if pattern == "" {
		return Grant{}, fmt.Errorf("auth: grant %q: empty subject pattern (use * for every subject)", s)
	}
	if i := strings.Index(pattern, "*"); i >= 0 && i != len(pattern)-1 {
		return Grant{}, fmt.Errorf("auth: grant %q: * may only end a pattern", s)
	}
	return Grant{Role: r, Pattern: pattern}, nil
}

// ParseGrants parses each text form in ss.
func ParseGrants(ss []string) ([]Grant, error) {
	out := make([]Grant, 0, len(ss))
	for _, s := range ss {
		g, err := ParseGrant(s)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// String returns the text form "role:pattern".
func (g Grant) String() string { return g.Role.String() + ":" + g.Pattern }

// MarshalText implements encoding.TextMarshaler with the text form.
func (g Grant) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with the text form.
func (g *Grant) UnmarshalText(b []byte) error {
	p, err := ParseGrant(string(b))
	if err != nil {
		return err
	}
	*g = p
	return nil
}

// Global reports whether g applies to every subject.
func (g Grant) Global() bool { return g.Pattern == AllSubjects }

// Matches reports whether g's pattern matches subject.
func (g Grant) Matches(subject string) bool {
	if prefix, ok := strings.CutSuffix(g.Pattern, "*"); ok {
		return strings.HasPrefix(subject, prefix)
	}
	return subject == g.Pattern
}

// Covers reports whether g's pattern matches every subject that starts
// with prefix (so a listing filtered by prefix shows only subjects g
// grants).
func (g Grant) Covers(prefix string) bool {
	p, ok := strings.CutSuffix(g.Pattern, "*")
	return ok && strings.HasPrefix(prefix, p)
}

// Method says how a principal proved who it is.
type Method string

// Authentication methods.
const (
	MethodBasic       Method = "basic"
	MethodToken       Method = "token"
	MethodCertificate Method = "mtls"
	MethodAnonymous   Method = "anonymous"
)

// Principal is an authenticated caller and what it was granted.
type Principal struct {
	// Name identifies the caller in logs and the audit trail: the user
	// name, "token:<name>", the certificate's common name, or "anonymous".
	Name   string
	Method Method
	// TokenID is the id of the API token used, for MethodToken.
	TokenID string
	Grants  []Grant
}

// Scope says which grants can satisfy a requirement.
type Scope int

// Scopes of a requirement.
const (
	// ScopeSubject: a grant whose pattern matches the subject.
	ScopeSubject Scope = iota + 1
	// ScopePrefix: a grant whose pattern matches every subject starting
	// with the given prefix (listings filtered by subjectPrefix).
	ScopePrefix
	// ScopeGlobal: a grant on every subject ("*").
	ScopeGlobal
	// ScopeAny: any grant at all (resources not owned by one subject, such
	// as schemas by id).
	ScopeAny
)

// Allows reports whether p holds role (or a stronger one) in scope; for
// ScopeSubject and ScopePrefix, target is the subject or prefix.
func (p *Principal) Allows(role Role, scope Scope, target string) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if g.Role < role {
			continue
		}
		switch scope {
		case ScopeSubject:
			if g.Matches(target) {
				return true
			}
		case ScopePrefix:
			if g.Covers(target) {
				return true
			}
		case ScopeGlobal:
			if g.Global() {
				return true
			}
		case ScopeAny:
			return true
		}
	}
	return false
}

type principalKey struct{}

// WithPrincipal returns a copy of ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal that ctx carries, if any.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}

// encodable reports whether s is text every store can hold: UTF-8
// without a NUL byte (PostgreSQL refuses NUL in text).
func encodable(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}
