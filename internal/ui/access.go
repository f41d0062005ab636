package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/schemata-dev/schemata/internal/auth"
)

// Permission is what a page needs of its caller.
type Permission int

// Permissions. A reader browses; a writer may also run the Check page's
// action (it stands for a registration).
const (
	Read Permission = iota + 1
	Write
)

// Refusals an Authorizer returns.
var (
	// ErrUnauthenticated: the request carries no principal while
	// authentication is required.
	ErrUnauthenticated = errors.New("ui: not authenticated")
	// ErrForbidden: the principal lacks the permission.
	ErrForbidden = errors.New("ui: forbidden")
)

// Authorizer decides whether the caller whose request context is ctx
// holds perm on subject. An empty subject asks about resources that no
// one subject owns (the subject list, consumers, the deprecation report):
// any grant of the role is enough. It returns nil, or an error wrapping
// ErrUnauthenticated or ErrForbidden.
type Authorizer func(ctx context.Context, perm Permission, subject string) error

// AllowAll lets every caller do everything: the UI of a registry that
// runs without authentication.
func AllowAll(context.Context, Permission, string) error { return nil }

// PrincipalAuthorizer authorizes with the principal that the
// authentication middleware (auth/authhttp) puts in the request context:
// Read needs the reader role, Write the writer role, on the subject. A
// request without a principal is refused as unauthenticated, so the UI
// must be mounted behind the middleware.
func PrincipalAuthorizer(ctx context.Context, perm Permission, subject string) error {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return ErrUnauthenticated
	}
	role, verb := auth.Reader, "read"
	if perm == Write {
		role, verb = auth.Writer, "write"
	}
	if subject == "" {
		if p.Allows(role, auth.ScopeAny, "") {
			return nil
		}
		return fmt.Errorf("%w: %s may not %s any subject", ErrForbidden, p.Name, verb)
	}
	if p.Allows(role, auth.ScopeSubject, subject) {
		return nil
	}
	return fmt.Errorf("%w: %s may not %s subject %q", ErrForbidden, p.Name, verb, subject)
}

// can reports whether the caller holds perm on subject, for pages that
// hide what the caller may not see rather than refusing the page.
func (h *handler) can(ctx context.Context, perm Permission, subject string) bool {
	return h.opts.Authorizer(ctx, perm, subject) == nil
}
