package authhttp

import (
	"net/http"

	"github.com/schemata-dev/schemata/internal/auth"
)

// Access says who may call a route.
type Access int

// Kinds of access.
const (
	// Public routes need no credentials (probes, metrics, the OpenAPI
	// document).
	Public Access = iota + 1
	// Authenticated routes need any principal, anonymous included when
	// anonymous access is on.
	Authenticated
	// OnSubject routes need the role on the {subject} path parameter.
	OnSubject
	// OnPrefix routes (listings) need the role on every subject starting
	// with the subjectPrefix query parameter; without one, on all.
	OnPrefix
	// Global routes need the role granted on "*".
	Global
	// AnyGrant routes need the role on at least one pattern: resources
	// that no single subject owns, such as schemas by id.
	AnyGrant
)

// Rule is the requirement of one route.
type Rule struct {
	Method string
	// Path is the echo route template, e.g. /subjects/:subject/versions.
	Path   string
	Access Access
	// Role is required for every access but Public and Authenticated.
	Role auth.Role
	// AdminIfTrue names a query parameter that, when "true", raises the
	// required role to Admin (permanent deletes).
	AdminIfTrue string
}

func r(method, path string, access Access, role auth.Role) Rule {
	return Rule{Method: method, Path: path, Access: access, Role: role}
}

// DefaultRules are the requirements of every route the registry serves:
// the Confluent API, this registry's extensions and the operational
// endpoints.
//
// Readers read and check compatibility; writers register and soft-delete;
// admins delete for good and change config and mode, each within the
// subjects their grants match. Global config and mode, tokens and users
// need a global admin.
func DefaultRules() []Rule {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
		rd, wr, ad          = auth.Reader, auth.Writer, auth.Admin
	)
	rules := []Rule{
		// Operations.
		r(get, "/livez", Public, 0),
		r(get, "/readyz", Public, 0),
		r(get, "/metrics", Public, 0),
		r(get, "/openapi.json", Public, 0),

		// Confluent API.
		r(get, "/", Authenticated, 0),
		// Listings answer any reader with the subjects its grants cover
		// (the service filters them).
		r(get, "/schemas", AnyGrant, rd),
		r(get, "/schemas/types", Authenticated, 0),
		// An id is visible when a subject using it is readable (checked
		// by the service, which answers 40403 otherwise).
		r(get, "/schemas/ids/:id", AnyGrant, rd),
		r(get, "/schemas/ids/:id/schema", AnyGrant, rd),
		r(get, "/schemas/ids/:id/subjects", AnyGrant, rd),
		r(get, "/schemas/ids/:id/versions", AnyGrant, rd),
		r(get, "/subjects", AnyGrant, rd),
		r(post, "/subjects/:subject", OnSubject, rd),
		{Method: del, Path: "/subjects/:subject", Access: OnSubject, Role: wr, AdminIfTrue: "permanent"},
		r(get, "/subjects/:subject/versions", OnSubject, rd),
		r(post, "/subjects/:subject/versions", OnSubject, wr),
		r(get, "/subjects/:subject/versions/:version", OnSubject, rd),
		{Method: del, Path: "/subjects/:subject/versions/:version", Access: OnSubject, Role: wr, AdminIfTrue: "permanent"},
		r(get, "/subjects/:subject/versions/:version/schema", OnSubject, rd),
		r(get, "/subjects/:subject/versions/:version/referencedby", OnSubject, rd),
		r(get, "/subjects/:subject/metadata", OnSubject, rd),
		r(post, "/compatibility/subjects/:subject/versions", OnSubject, rd),
		r(post, "/compatibility/subjects/:subject/versions/:version", OnSubject, rd),
		r(get, "/config", AnyGrant, rd),
		r(put, "/config", Global, ad),
		r(del, "/config", Global, ad),
		r(get, "/config/:subject", OnSubject, rd),
		r(put, "/config/:subject", OnSubject, ad),
		r(del, "/config/:subject", OnSubject, ad),
		r(get, "/mode", AnyGrant, rd),
		r(put, "/mode", Global, ad),
		r(del, "/mode", Global, ad),
		r(get, "/mode/:subject", OnSubject, rd),
		r(put, "/mode/:subject", OnSubject, ad),
		r(del, "/mode/:subject", OnSubject, ad),
		r(get, "/contexts", AnyGrant, rd),
		r(del, "/contexts/:context", Global, ad),
		r(get, "/v1/metadata/id", Authenticated, 0),
		r(get, "/v1/metadata/version", Authenticated, 0),

		// Consumers, deprecations and reports: the subjects they concern
		// are in the body or in the stored record, where no route rule can
		// see them. The route asks for the role on some subject; the
		// service then requires writer on every subject a consumer reads
		// (before and after a change) and on a deprecation's subject, and
		// shows a reader only what concerns subjects it may read.
		r(get, "/v1/consumers", AnyGrant, rd),
		r(post, "/v1/consumers", AnyGrant, wr),
		r(get, "/v1/consumers/:name", AnyGrant, rd),
		r(put, "/v1/consumers/:name", AnyGrant, wr),
		r(del, "/v1/consumers/:name", AnyGrant, wr),
		r(get, "/v1/consumers/:name/backfill", AnyGrant, rd),
		r(post, "/v1/consumers/:name/backfill", AnyGrant, rd),
		r(get, "/v1/deprecations", AnyGrant, rd),
		r(post, "/v1/deprecations", AnyGrant, wr),
		r(get, "/v1/deprecations/:id", AnyGrant, rd),
		r(put, "/v1/deprecations/:id", AnyGrant, wr),
		r(del, "/v1/deprecations/:id", AnyGrant, wr),
		r(get, "/v1/reports/deprecations", AnyGrant, rd),
	}
	return append(rules, AdminRules()...)
}

// AdminRules are the requirements of the routes Admin mounts.
func AdminRules() []Rule {
	return []Rule{
		r(http.MethodGet, "/v1/auth/whoami", Authenticated, 0),
		r(http.MethodGet, "/v1/auth/tokens", Global, auth.Admin),
		r(http.MethodPost, "/v1/auth/tokens", Global, auth.Admin),
		r(http.MethodDelete, "/v1/auth/tokens/:id", Global, auth.Admin),
		r(http.MethodGet, "/v1/auth/users", Global, auth.Admin),
		r(http.MethodPut, "/v1/auth/users/:name", Global, auth.Admin),
		r(http.MethodDelete, "/v1/auth/users/:name", Global, auth.Admin),
	}
}
