package api

import (
	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// wireReport renders the deprecation report.
func wireReport(r *registry.DeprecationReport) srapi.DeprecationReport {
	out := srapi.DeprecationReport{GeneratedAt: r.GeneratedAt.UTC(), UsageDays: r.UsageDays, Items: []srapi.ReportItem{}}
	for _, it := range r.Items {
		ij := srapi.ReportItem{
			Subject: it.Subject, Path: it.Path, Version: it.Version, Kind: it.Kind, Source: it.Source,
			RecordID: it.RecordID, Reason: it.Reason, Replacement: it.Replacement, Since: it.Since.UTC(),
			RemovableFrom: it.RemovableFrom.UTC(), DaysLeft: it.DaysLeft, Overdue: it.Overdue, Status: it.Status,
			Consumers: []srapi.ReportConsumer{}, Clients: []srapi.ReportClient{},
		}
		if !it.Sunset.IsZero() {
			sunset := it.Sunset.UTC()
			ij.Sunset = &sunset
		}
		for _, c := range it.Consumers {
			ij.Consumers = append(ij.Consumers, srapi.ReportConsumer{Name: c.Name, Owner: c.Owner})
		}
		for _, c := range it.Clients {
			ij.Clients = append(ij.Clients, srapi.ReportClient{Identity: c.Identity, Count: c.Count, LastSeen: c.LastSeen.UTC(), SchemaIDs: c.SchemaIDs})
		}
		out.Items = append(out.Items, ij)
	}
	return out
}

// deprecationReport serves GET /v1/reports/deprecations. Query parameters:
// subjectPrefix, owner (elements a consumer of that owner still reads),
// overdueOnly, usageDays (the runtime usage window, default 30), offset
// and limit (a page of the items, at most and by default the list limit).
func (h *consumerAPI) deprecationReport(c echo.Context) error {
	days, err := queryInt(c, "usageDays", registry.DefaultUsageDays)
	if err != nil {
		return err
	}
	offset, limit, err := cappedPageParams(c, h.listLimit)
	if err != nil {
		return err
	}
	rep, err := h.svc.DeprecationReport(c.Request().Context(), registry.ReportParams{
		SubjectPrefix: c.QueryParam("subjectPrefix"),
		Owner:         c.QueryParam("owner"),
		OverdueOnly:   queryBool(c, "overdueOnly"),
		UsageDays:     days,
	})
	if err != nil {
		return err
	}
	out := wireReport(rep)
	out.Items = out.Items[min(offset, len(out.Items)):]
	out.Items = out.Items[:min(limit, len(out.Items))]
	out.Items = orEmpty(out.Items)
	return h.ok(c, out)
}
