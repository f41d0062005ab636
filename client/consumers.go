package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/schemata-dev/schemata/srapi"
)

// ConsumersOptions filter Consumers.
type ConsumersOptions struct {
	// Subject keeps consumers reading it (subject).
	Subject string
	// Owner keeps consumers with this owner (owner).
	Owner string
}

// Consumers lists the registered consumers (route GET /v1/consumers,
// query subject and owner), walking the listing a page at a time
// (AllConsumers).
func (c *Client) Consumers(ctx context.Context, opts *ConsumersOptions) ([]srapi.Consumer, error) {
	return collect(c.AllConsumers(ctx, opts))
}

func consumersQuery(opts *ConsumersOptions) url.Values {
	q := url.Values{}
	if opts != nil {
		setString(q, "subject", opts.Subject)
		setString(q, "owner", opts.Owner)
	}
	return q
}

// Consumer returns the consumer named name (route
// GET /v1/consumers/{name}); srapi.ErrConsumerNotFound when there is none.
func (c *Client) Consumer(ctx context.Context, name string) (*srapi.Consumer, error) {
	var out srapi.Consumer
	if err := c.do(ctx, request{method: http.MethodGet, path: []string{"v1", "consumers", name}, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("get consumer %q: %w", name, err)
	}
	return &out, nil
}

// PutConsumer creates or replaces the consumer named cons.Name (route
// PUT /v1/consumers/{name}) and returns it as stored, and whether it was
// created. Putting the same definition again changes nothing, so it is
// retried.
func (c *Client) PutConsumer(ctx context.Context, cons srapi.Consumer) (_ *srapi.Consumer, created bool, err error) {
	var out srapi.Consumer
	status, err := c.doStatus(ctx, request{
		method: http.MethodPut, path: []string{"v1", "consumers", cons.Name}, body: cons, retryable: true,
	}, &out)
	if err != nil {
		return nil, false, fmt.Errorf("put consumer %q: %w", cons.Name, err)
	}
	return &out, status == http.StatusCreated, nil
}

// DeleteConsumer deletes the consumer named name (route
// DELETE /v1/consumers/{name}). It is not retried, for the reason given
// at DeleteVersion.
func (c *Client) DeleteConsumer(ctx context.Context, name string) error {
	if err := c.do(ctx, request{method: http.MethodDelete, path: []string{"v1", "consumers", name}}, nil); err != nil {
		return fmt.Errorf("delete consumer %q: %w", name, err)
	}
	return nil
}

// CheckBackfill asks whether the consumer named name can re-read every
// writer version within its backfill window, soft-deleted ones included.
// With candidate nil the registered definition is checked (route
// GET /v1/consumers/{name}/backfill); otherwise candidate is checked in
// its place, without being registered (route
// POST /v1/consumers/{name}/backfill).
func (c *Client) CheckBackfill(ctx context.Context, name string, candidate *srapi.Consumer) (*srapi.Backfill, error) {
	r := request{method: http.MethodGet, path: []string{"v1", "consumers", name, "backfill"}, retryable: true}
	if candidate != nil {
		r.method, r.body = http.MethodPost, candidate
	}
	var out srapi.Backfill
	if err := c.do(ctx, r, &out); err != nil {
		return nil, fmt.Errorf("check backfill of consumer %q: %w", name, err)
	}
	return &out, nil
}

// DeprecationsOptions filter Deprecations.
type DeprecationsOptions struct {
	// Subject keeps the deprecations of this subject (subject).
	Subject string
	// SubjectPrefix keeps those of subjects starting with it
	// (subjectPrefix).
	SubjectPrefix string
}

// Deprecations lists the recorded deprecations (route
// GET /v1/deprecations, query subject and subjectPrefix), walking the
// listing a page at a time (AllDeprecations).
func (c *Client) Deprecations(ctx context.Context, opts *DeprecationsOptions) ([]srapi.Deprecation, error) {
	return collect(c.AllDeprecations(ctx, opts))
}

func deprecationsQuery(opts *DeprecationsOptions) url.Values {
	q := url.Values{}
	if opts != nil {
		setString(q, "subject", opts.Subject)
		setString(q, "subjectPrefix", opts.SubjectPrefix)
	}
	return q
}

// Deprecate records the deprecation d of a field (d.Path), a version
// (d.Version) or a whole subject (route POST /v1/deprecations), and
// returns the record and whether it is new; deprecating an element again
// updates it and keeps its date. It is not retried: a repeat would answer
// "updated" and hide that the first attempt created the record.
// opts may be nil.
func (c *Client) Deprecate(ctx context.Context, d srapi.Deprecation, opts *DeprecateOptions) (_ *srapi.Deprecation, created bool, err error) {
	q := url.Values{}
	if opts != nil && opts.Force {
		q.Set("force", "true")
	}
	var out srapi.Deprecation
	status, err := c.doStatus(ctx, request{method: http.MethodPost, path: []string{"v1", "deprecations"}, query: q, body: d}, &out)
	if err != nil {
		return nil, false, fmt.Errorf("deprecate in %q: %w", d.Subject, err)
	}
	return &out, status == http.StatusCreated, nil
}

// DeprecateOptions adjust Deprecate.
type DeprecateOptions struct {
	// Force accepts a sunset that is not in the future, or earlier than
	// the element's current one (force=true); the registry refuses both
	// otherwise, as either can make a removal legal at once.
	Force bool
}

// Deprecation returns the deprecation record id (route
// GET /v1/deprecations/{id}).
func (c *Client) Deprecation(ctx context.Context, id int) (*srapi.Deprecation, error) {
	var out srapi.Deprecation
	if err := c.do(ctx, request{method: http.MethodGet, path: []string{"v1", "deprecations", strconv.Itoa(id)}, retryable: true}, &out); err != nil {
		return nil, fmt.Errorf("get deprecation %d: %w", id, err)
	}
	return &out, nil
}

// DeleteDeprecation deletes the deprecation record id (route
// DELETE /v1/deprecations/{id}). It is not retried.
func (c *Client) DeleteDeprecation(ctx context.Context, id int) error {
	if err := c.do(ctx, request{method: http.MethodDelete, path: []string{"v1", "deprecations", strconv.Itoa(id)}}, nil); err != nil {
		return fmt.Errorf("delete deprecation %d: %w", id, err)
	}
	return nil
}

// ReportOptions filter DeprecationReport. The zero value is the whole
// report over the registry's default usage window.
type ReportOptions struct {
	// SubjectPrefix keeps subjects starting with it (subjectPrefix).
	SubjectPrefix string
	// Owner keeps elements a consumer of this owner still reads (owner).
	Owner string
	// OverdueOnly keeps elements past their sunset (overdueOnly).
	OverdueOnly bool
	// UsageDays is the runtime usage window in days (usageDays); 0 is the
	// registry's default.
	UsageDays int
}

// DeprecationReport returns what is deprecated, until when, and who
// still reads it (route GET /v1/reports/deprecations, query
// subjectPrefix, owner, overdueOnly and usageDays).
func (c *Client) DeprecationReport(ctx context.Context, opts *ReportOptions) (*srapi.DeprecationReport, error) {
	q := url.Values{}
	if opts != nil {
		setString(q, "subjectPrefix", opts.SubjectPrefix)
		setString(q, "owner", opts.Owner)
		setBool(q, "overdueOnly", opts.OverdueOnly)
		if opts.UsageDays > 0 {
			q.Set("usageDays", strconv.Itoa(opts.UsageDays))
		}
	}
	var out srapi.DeprecationReport
	err := c.do(ctx, request{method: http.MethodGet, path: []string{"v1", "reports", "deprecations"}, query: q, retryable: true}, &out)
	if err != nil {
		return nil, fmt.Errorf("get the deprecation report: %w", err)
	}
	return &out, nil
}

func setString(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}
