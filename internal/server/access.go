package server

import (
	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/registry"
)

// principalAccess answers the domain's access questions with the grants
// of an authenticated principal.
type principalAccess struct{ p *auth.Principal }

var _ registry.Access = principalAccess{}

func (a principalAccess) Name() string { return a.p.Name }

func (a principalAccess) Allows(perm registry.Permission, subject string) bool {
	return a.p.Allows(role(perm), auth.ScopeSubject, subject)
}

func (a principalAccess) AllowsAll(perm registry.Permission) bool {
	return a.p.Allows(role(perm), auth.ScopeGlobal, "")
}

func role(p registry.Permission) auth.Role {
	switch p {
	case registry.PermRead:
		return auth.Reader
	case registry.PermWrite:
		return auth.Writer
	}
	return auth.Admin
}

// principalToDomain hands the principal that authentication put in the
// request context to the domain: its grants, which the service checks
// against the subjects a request reaches through its body, an id, a
// consumer or a record; and its name, under which runtime usage is
// recorded (a client-sent X-Client-Id names only anonymous callers).
// Install it after the authentication middleware and before the UI.
func principalToDomain(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		p, ok := auth.FromContext(req.Context())
		if !ok {
			return next(c)
		}
		ctx := registry.WithAccess(req.Context(), principalAccess{p})
		if p.Method != auth.MethodAnonymous {
			ctx = registry.ContextWithPrincipal(ctx, p.Name)
		}
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}
