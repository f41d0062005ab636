package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// SubjectsOptions filter Subjects.
type SubjectsOptions struct {
	// Prefix keeps subjects whose name starts with it (subjectPrefix).
	Prefix string
	// Deleted also lists subjects whose versions are all soft-deleted.
	Deleted bool
	// DeletedOnly lists only subjects with soft-deleted versions.
	DeletedOnly bool
}

// Subjects lists subject names (route GET /subjects, query subjectPrefix,
// deleted and deletedOnly), walking the listing a page at a time
// (AllSubjects).
func (c *Client) Subjects(ctx context.Context, opts *SubjectsOptions) ([]string, error) {
	return collect(c.AllSubjects(ctx, opts))
}

func subjectsQuery(opts *SubjectsOptions) url.Values {
	q := url.Values{}
	if opts != nil {
		setString(q, "subjectPrefix", opts.Prefix)
		setBool(q, "deleted", opts.Deleted)
		setBool(q, "deletedOnly", opts.DeletedOnly)
	}
	return q
}

// VersionsOptions filter Versions and Version.
type VersionsOptions struct {
	// Deleted includes soft-deleted versions.
	Deleted bool
}

// Versions lists the version numbers of subject, oldest first (route
// GET /subjects/{subject}/versions, query deleted).
func (c *Client) Versions(ctx context.Context, subject string, opts *VersionsOptions) ([]int, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "deleted", opts.Deleted)
	}
	var out []int
	err := c.do(ctx, request{
		method: http.MethodGet, path: []string{"subjects", subject, "versions"}, query: q, retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("list versions of %q: %w", subject, err)
	}
	return out, nil
}

// Version returns one version of subject; version may be Latest (route
// GET /subjects/{subject}/versions/{version}, query deleted).
func (c *Client) Version(ctx context.Context, subject string, version int, opts *VersionsOptions) (*SubjectVersion, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "deleted", opts.Deleted)
	}
	var out SubjectVersion
	err := c.do(ctx, request{
		method: http.MethodGet, path: []string{"subjects", subject, "versions", versionSegment(version)},
		query: q, retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("get %q version %s: %w", subject, versionSegment(version), err)
	}
	return &out, nil
}

// ReferencedBy lists the ids of schemas that reference a version of
// subject (route GET /subjects/{subject}/versions/{version}/referencedby).
func (c *Client) ReferencedBy(ctx context.Context, subject string, version int) ([]int, error) {
	var out []int
	err := c.do(ctx, request{
		method: http.MethodGet, path: []string{"subjects", subject, "versions", versionSegment(version), "referencedby"},
		retryable: true,
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("list schemas referencing %q version %s: %w", subject, versionSegment(version), err)
	}
	return out, nil
}

// DeleteOptions tune DeleteVersion and DeleteSubject.
type DeleteOptions struct {
	// Permanent removes what a previous soft delete marked deleted
	// (permanent=true). The registry refuses a permanent delete of
	// anything not soft-deleted first.
	Permanent bool
}

// DeleteVersion deletes one version of subject and returns its number
// (route DELETE /subjects/{subject}/versions/{version}, query permanent).
//
// Deletes are not retried: repeating one whose answer was lost would fail
// with "already deleted" and hide the first success.
func (c *Client) DeleteVersion(ctx context.Context, subject string, version int, opts *DeleteOptions) (int, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "permanent", opts.Permanent)
	}
	var out int
	err := c.do(ctx, request{
		method: http.MethodDelete, path: []string{"subjects", subject, "versions", versionSegment(version)}, query: q,
	}, &out)
	if err != nil {
		return 0, fmt.Errorf("delete %q version %s: %w", subject, versionSegment(version), err)
	}
	return out, nil
}

// DeleteSubject deletes every version of subject and returns their
// numbers (route DELETE /subjects/{subject}, query permanent). It is not
// retried, for the reason given at DeleteVersion.
func (c *Client) DeleteSubject(ctx context.Context, subject string, opts *DeleteOptions) ([]int, error) {
	q := url.Values{}
	if opts != nil {
		setBool(q, "permanent", opts.Permanent)
	}
	var out []int
	if err := c.do(ctx, request{method: http.MethodDelete, path: []string{"subjects", subject}, query: q}, &out); err != nil {
		return nil, fmt.Errorf("delete subject %q: %w", subject, err)
	}
	return out, nil
}
