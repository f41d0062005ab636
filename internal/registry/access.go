package registry

import (
	"context"
	"fmt"

	"github.com/schemata-dev/schemata/srapi"
)

// Permission is what a caller needs on a subject.
type Permission int

// Permissions, weakest first; each includes the ones before it.
const (
	// PermRead reads a subject: its versions, the schemas they use, its
	// consumers and deprecations.
	PermRead Permission = iota + 1
	// PermWrite registers in a subject and records consumers and
	// deprecations of it.
	PermWrite
	// PermAdmin deletes for good and changes config and mode.
	PermAdmin
)

func (p Permission) String() string {
	switch p {
	case PermRead:
		return "Read"
	case PermWrite:
		return "Write"
	}
	return "Admin"
}

// Access says what the caller of one request may do with subjects. The
// HTTP layer puts it in the request's context (WithAccess) from the
// authenticated principal; the Service consults it wherever a request
// names subjects in its body or reaches subjects through an id, a
// consumer or a record, which no route-level rule can see.
type Access interface {
	// Name names the caller in refusals.
	Name() string
	// Allows reports whether the caller holds perm on subject.
	Allows(perm Permission, subject string) bool
	// AllowsAll reports whether the caller holds perm on every subject
	// (a global grant).
	AllowsAll(perm Permission) bool
}

type accessKey struct{}

// WithAccess returns ctx carrying the caller's access. A context without
// one is unrestricted: the registry without authentication, and the
// Service's own background work.
func WithAccess(ctx context.Context, a Access) context.Context {
	return context.WithValue(ctx, accessKey{}, a)
}

// accessFrom returns the caller's access, nil when unrestricted.
func accessFrom(ctx context.Context) Access {
	a, _ := ctx.Value(accessKey{}).(Access)
	return a
}

// restricted returns the caller's access when it does not hold perm on
// every subject, nil otherwise: callers skip per-subject work on nil.
func restricted(ctx context.Context, perm Permission) Access {
	a := accessFrom(ctx)
	if a == nil || a.AllowsAll(perm) {
		return nil
	}
	return a
}

// allowed reports whether the caller of ctx holds perm on subject.
func allowed(ctx context.Context, perm Permission, subject string) bool {
	a := restricted(ctx, perm)
	return a == nil || a.Allows(perm, subject)
}

// requireOn refuses, with srapi.CodeForbidden, unless the caller holds
// perm on every subject given.
func requireOn(ctx context.Context, perm Permission, subjects ...string) error {
	a := restricted(ctx, perm)
	if a == nil {
		return nil
	}
	for _, s := range subjects {
		if a.Allows(perm, s) {
			continue
		}
		if !a.Allows(PermRead, s) {
			// Reached through a record, not named by the caller: do
			// not tell the name of a subject it may not even read.
			return forbidden(a, perm.String()+" on a subject it may not read")
		}
		return forbidden(a, fmt.Sprintf("%s on subject %q", perm, s))
	}
	return nil
}

// requireAll refuses, with srapi.CodeForbidden, unless the caller holds
// perm on every subject; what names the operation in the refusal.
func requireAll(ctx context.Context, perm Permission, what string) error {
	if a := restricted(ctx, perm); a != nil {
		return forbidden(a, what)
	}
	return nil
}

func forbidden(a Access, what string) error {
	return Errorf(srapi.CodeForbidden, "User %s is denied operation %s", a.Name(), what)
}

// readable keeps the items whose subject the caller may read, in place.
func readable[T any](ctx context.Context, items []T, subject func(*T) string) []T {
	a := restricted(ctx, PermRead)
	if a == nil {
		return items
	}
	out := items[:0]
	for i := range items {
		if a.Allows(PermRead, subject(&items[i])) {
			out = append(out, items[i])
		}
	}
	return out
}

// listChunk is how many rows a filtered listing reads from the store at
// a time (a variable so that tests cross chunks with a few rows).
var listChunk = 1000

// pageReadable serves a paged listing for a caller who may read only
// some subjects: it reads the store's listing in chunks, keeps what the
// caller may read, and returns the page [offset, offset+limit) of that
// (limit <= 0: everything from offset), so pages are pages of what the
// caller sees and never reveal how much is hidden. Callers who may read
// every subject get list(offset, limit) as is.
func pageReadable[T any](ctx context.Context, offset, limit int, subject func(*T) string, list func(offset, limit int) ([]T, error)) ([]T, error) {
	a := restricted(ctx, PermRead)
	if a == nil {
		return list(offset, limit)
	}
	return pageKept(offset, limit, func(item *T) bool { return a.Allows(PermRead, subject(item)) }, list)
}

// pageKept returns the page [offset, offset+limit) (limit <= 0: everything
// from offset) of the items of list that keep accepts (keep may trim an
// item in place), reading list in chunks of listChunk: memory holds one
// chunk and the page, never the whole listing.
func pageKept[T any](offset, limit int, keep func(*T) bool, list func(offset, limit int) ([]T, error)) ([]T, error) {
	offset = max(offset, 0)
	out := []T{}
	for from := 0; ; from += listChunk {
		rows, err := list(from, listChunk)
		if err != nil {
			return nil, err
		}
		for i := range rows {
			if !keep(&rows[i]) {
				continue
			}
			if offset > 0 {
				offset--
				continue
			}
			out = append(out, rows[i])
			if limit > 0 && len(out) == limit {
				return out, nil
			}
		}
		if len(rows) < listChunk {
			return out, nil
		}
	}
}
