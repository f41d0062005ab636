package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/compatwire"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// ConsumerService is the domain behaviour of the consumer features:
// consumers, backfill checks, deprecation records and reports, and the
// runtime usage and deprecation headers of the lookup path.
// *registry.Service implements it. The API takes it from Options.Consumers,
// else from the Service given to New when that implements it; with
// neither, the /v1 consumer routes are not mounted.
type ConsumerService interface {
	PutConsumer(ctx context.Context, c registry.Consumer) (registry.PutConsumerResult, error)
	CreateConsumer(ctx context.Context, c registry.Consumer) (registry.PutConsumerResult, error)
	Consumer(ctx context.Context, name string) (*registry.Consumer, error)
	Consumers(ctx context.Context, p registry.ConsumerListParams) ([]registry.Consumer, error)
	DeleteConsumer(ctx context.Context, name string) (*registry.Consumer, error)
	CheckBackfill(ctx context.Context, p registry.BackfillParams) (*registry.BackfillReport, error)

	Deprecate(ctx context.Context, d registry.DeprecationRecord, o registry.DeprecateOptions) (registry.DeprecateResult, error)
	UpdateDeprecation(ctx context.Context, d registry.DeprecationRecord, o registry.DeprecateOptions) (registry.DeprecateResult, error)
	DeprecationRecordByID(ctx context.Context, id int) (*registry.DeprecationRecord, error)
	DeprecationRecords(ctx context.Context, p registry.DeprecationListParams) ([]registry.DeprecationRecord, error)
	DeleteDeprecation(ctx context.Context, id int) (*registry.DeprecationRecord, error)
	DeprecationReport(ctx context.Context, p registry.ReportParams) (*registry.DeprecationReport, error)

	SchemaDeprecation(ctx context.Context, schema registry.SchemaKey) (*registry.DeprecationRecord, error)
	VersionDeprecation(ctx context.Context, subject string, version int) (*registry.DeprecationRecord, error)
	RecordUsage(who registry.Identity, schema registry.SchemaKey)
}

var _ ConsumerService = (*registry.Service)(nil)

// consumerAPI serves the /v1 routes of the consumer features.
type consumerAPI struct {
	*API
	svc ConsumerService
}

// wireConsumer renders a consumer.
func wireConsumer(c *registry.Consumer) srapi.Consumer {
	out := srapi.Consumer{Name: c.Name, Owner: c.Owner, Labels: c.Labels, Reads: []srapi.ConsumerRead{}}
	if !c.CreatedAt.IsZero() {
		created, updated := c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		out.CreatedAt, out.UpdatedAt = &created, &updated
	}
	for _, r := range c.Reads {
		rj := srapi.ConsumerRead{
			Subject: r.Subject, Schema: r.ReaderSchema, References: wireReferences(r.References),
			Message: r.Message, Fields: r.Fields, Backfill: FormatWindow(r.Backfill),
		}
		if r.ReaderSchema != "" {
			rj.SchemaType = string(r.Format)
		}
		out.Reads = append(out.Reads, rj)
	}
	return out
}

// domainConsumer converts a request body into a registry.Consumer.
func domainConsumer(cj *srapi.Consumer) (registry.Consumer, error) {
	c := registry.Consumer{Name: cj.Name, Owner: cj.Owner, Labels: cj.Labels}
	for _, r := range cj.Reads {
		backfill, err := ParseWindow(r.Backfill)
		if err != nil {
			return c, registry.Errorf(srapi.CodeInvalidConsumer, "Consumer %s reading %s: %v", cj.Name, r.Subject, err)
		}
		read := registry.ConsumerRead{
			Subject: r.Subject, ReaderSchema: r.Schema, References: domainReferences(r.References),
			Message: r.Message, Fields: r.Fields, Backfill: backfill,
		}
		if r.Schema != "" {
			f, err := schema.ParseFormat(r.SchemaType)
			if err != nil {
				return c, registry.Errorf(srapi.CodeInvalidSchema, "Consumer %s reading %s: invalid schemaType %q: supported schema types are AVRO, PROTOBUF and JSON", cj.Name, r.Subject, r.SchemaType)
			}
			read.Format = f
		}
		c.Reads = append(c.Reads, read)
	}
	return c, nil
}

// ParseWindow parses a backfill window: a number of days ("90d"), a Go
// duration ("36h", "90m"), or "" for none.
func ParseWindow(s string) (time.Duration, error) {
	return srapi.ParseBackfill(s)
}

// FormatWindow renders a window as ParseWindow reads it: whole days as
// "90d", anything else as a Go duration, zero as "".
func FormatWindow(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// consumerRoutes mounts the consumer routes when the API has a
// ConsumerService, and returns the middleware of the lookup routes (a
// no-op otherwise).
func (a *API) consumerRoutes(e *echo.Echo) (lookupByID, lookupVersion echo.MiddlewareFunc) {
	cs := a.consumers
	if cs == nil {
		pass := func(next echo.HandlerFunc) echo.HandlerFunc { return next }
		return pass, pass
	}
	h := &consumerAPI{API: a, svc: cs}
	e.GET("/v1/consumers", h.listConsumers)
	e.POST("/v1/consumers", h.createConsumer)
	e.GET("/v1/consumers/:name", keyed(consumerName, h.getConsumer))
	e.PUT("/v1/consumers/:name", keyed(consumerName, h.putConsumer))
	e.DELETE("/v1/consumers/:name", keyed(consumerName, h.deleteConsumer))
	e.GET("/v1/consumers/:name/backfill", keyed(consumerName, h.checkBackfill))
	e.POST("/v1/consumers/:name/backfill", keyed(consumerName, h.checkBackfill))

	e.GET("/v1/deprecations", h.listDeprecations)
	e.POST("/v1/deprecations", h.createDeprecation)
	e.GET("/v1/deprecations/:id", keyed(deprecationID, h.getDeprecation))
	e.PUT("/v1/deprecations/:id", keyed(deprecationID, h.updateDeprecation))
	e.DELETE("/v1/deprecations/:id", keyed(deprecationID, h.deleteDeprecation))

	e.GET("/v1/reports/deprecations", h.deprecationReport)
	return h.lookupByID, h.lookupVersion
}

// listConsumers serves GET /v1/consumers. Query parameters: subject (keep
// consumers reading it), owner, offset, limit (at most, and by default,
// the list limit).
func (h *consumerAPI) listConsumers(c echo.Context) error {
	offset, limit, err := cappedPageParams(c, h.listLimit)
	if err != nil {
		return err
	}
	cs, err := h.svc.Consumers(c.Request().Context(), registry.ConsumerListParams{
		Subject: c.QueryParam("subject"), Owner: c.QueryParam("owner"), Offset: offset, Limit: limit,
	})
	if err != nil {
		return err
	}
	return h.ok(c, wireAll(cs, wireConsumer))
}

// createConsumer serves POST /v1/consumers: 201 with the consumer when
// created, 200 when an identical consumer already exists, 409 (40910)
// when the name is taken by a different one.
func (h *consumerAPI) createConsumer(c echo.Context) error {
	var body srapi.Consumer
	if err := h.decodeBody(c, &body); err != nil {
		return err
	}
	return h.saveConsumer(c, &body, h.svc.CreateConsumer)
}

// saveConsumer validates body, stores it with save (CreateConsumer or
// PutConsumer) and answers 201 when the consumer was created, else 200.
func (h *consumerAPI) saveConsumer(c echo.Context, body *srapi.Consumer, save func(context.Context, registry.Consumer) (registry.PutConsumerResult, error)) error {
	in, err := domainConsumer(body)
	if err != nil {
		return err
	}
	res, err := save(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return h.created(c, res.Created, wireConsumer(res.Consumer))
}

// getConsumer serves GET /v1/consumers/{name}.
func (h *consumerAPI) getConsumer(c echo.Context, name string) error {
	cons, err := h.svc.Consumer(c.Request().Context(), name)
	if err != nil {
		return err
	}
	return h.ok(c, wireConsumer(cons))
}

// putConsumer serves PUT /v1/consumers/{name}: creates or replaces the
// consumer, idempotently (201 when created, else 200). A name in the body
// must match the path.
func (h *consumerAPI) putConsumer(c echo.Context, name string) error {
	var body srapi.Consumer
	if err := h.decodeBody(c, &body); err != nil {
		return err
	}
	if body.Name != "" && body.Name != name {
		return registry.Errorf(srapi.CodeInvalidConsumer, "The consumer name in the body (%s) differs from the one in the path (%s)", body.Name, name)
	}
	body.Name = name
	return h.saveConsumer(c, &body, h.svc.PutConsumer)
}

// deleteConsumer serves DELETE /v1/consumers/{name}: 204 once deleted.
func (h *consumerAPI) deleteConsumer(c echo.Context, name string) error {
	if _, err := h.svc.DeleteConsumer(c.Request().Context(), name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// checkBackfill serves GET and POST /v1/consumers/{name}/backfill: can the
// consumer re-read every writer version within its backfill window
// (soft-deleted ones included)? A POST body, when present, is a candidate
// consumer definition checked instead of the registered one.
func (h *consumerAPI) checkBackfill(c echo.Context, name string) error {
	p := registry.BackfillParams{Name: name}
	if c.Request().Method == http.MethodPost && c.Request().ContentLength != 0 {
		var body srapi.Consumer
		if err := h.decodeBody(c, &body); err != nil {
			return err
		}
		if body.Name == "" {
			body.Name = name
		}
		cand, err := domainConsumer(&body)
		if err != nil {
			return err
		}
		p.Candidate = &cand
	}
	rep, err := h.svc.CheckBackfill(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out := srapi.Backfill{Consumer: rep.Consumer, Owner: rep.Owner, Compatible: rep.Compatible(), Subjects: []srapi.BackfillSubject{}}
	for _, s := range rep.Subjects {
		sj := srapi.BackfillSubject{
			Subject: s.Subject, Window: FormatWindow(s.Window), Since: s.Since,
			Versions: []srapi.BackfillVersion{}, Findings: compatwire.Findings(s.Findings), Truncated: s.Truncated,
		}
		for _, v := range s.Versions {
			sj.Versions = append(sj.Versions, srapi.BackfillVersion{Version: v.Version, ID: v.SchemaID, Deleted: v.Deleted, RegisteredAt: v.RegisteredAt.UTC()})
		}
		out.Subjects = append(out.Subjects, sj)
	}
	return h.ok(c, out)
}
