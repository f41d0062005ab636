package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
)

// reportJSON is the deprecation report on the wire.
type reportJSON struct {
	GeneratedAt time.Time        `json:"generatedAt"`
	UsageDays   int              `json:"usageDays"`
	Items       []reportItemJSON `json:"items"`
}

// reportItemJSON is one deprecated element. daysLeft is negative once
// removableFrom (the sunset, or since plus the minimum deprecation period)
// has passed; status is deprecated, overdue (passed, still read) or
// removable (passed, no consumer reads it).
type reportItemJSON struct {
	Subject       string               `json:"subject"`
	Path          string               `json:"path,omitempty"`
	Version       int                  `json:"version,omitempty"`
	Kind          string               `json:"kind"`
	Source        string               `json:"source"`
	RecordID      int                  `json:"recordId,omitempty"`
	Reason        string               `json:"reason,omitempty"`
	Replacement   string               `json:"replacement,omitempty"`
	Since         time.Time            `json:"since"`
	Sunset        *time.Time           `json:"sunset,omitempty"`
	RemovableFrom time.Time            `json:"removableFrom"`
	DaysLeft      int                  `json:"daysLeft"`
	Overdue       bool                 `json:"overdue"`
	Status        string               `json:"status"`
	Consumers     []reportConsumerJSON `json:"consumers"`
	Clients       []reportClientJSON   `json:"clients"`
}

type reportConsumerJSON struct {
	Name  string `json:"name"`
	Owner string `json:"owner"`
}

type reportClientJSON struct {
	Identity  string    `json:"identity"`
	Count     int64     `json:"count"`
	LastSeen  time.Time `json:"lastSeen"`
	SchemaIDs []int     `json:"schemaIds"`
}

func newReportJSON(r *registry.DeprecationReport) reportJSON {
	out := reportJSON{GeneratedAt: r.GeneratedAt.UTC(), UsageDays: r.UsageDays, Items: []reportItemJSON{}}
	for _, it := range r.Items {
		ij := reportItemJSON{
			Subject: it.Subject, Path: it.Path, Version: it.Version, Kind: it.Kind, Source: it.Source,
			RecordID: it.RecordID, Reason: it.Reason, Replacement: it.Replacement, Since: it.Since.UTC(),
			RemovableFrom: it.RemovableFrom.UTC(), DaysLeft: it.DaysLeft, Overdue: it.Overdue, Status: it.Status,
			Consumers: []reportConsumerJSON{}, Clients: []reportClientJSON{},
		}
		if !it.Sunset.IsZero() {
			sunset := it.Sunset.UTC()
			ij.Sunset = &sunset
		}
		for _, c := range it.Consumers {
			ij.Consumers = append(ij.Consumers, reportConsumerJSON{Name: c.Name, Owner: c.Owner})
		}
		for _, c := range it.Clients {
			ij.Clients = append(ij.Clients, reportClientJSON{Identity: c.Identity, Count: c.Count, LastSeen: c.LastSeen.UTC(), SchemaIDs: c.SchemaIDs})
		}
		out.Items = append(out.Items, ij)
	}
	return out
}

// deprecationReport serves GET /v1/reports/deprecations. Query parameters:
// subjectPrefix, owner (elements a consumer of that owner still reads),
// overdueOnly, usageDays (the runtime usage window, default 30).
func (h *consumerAPI) deprecationReport(c echo.Context) error {
	days, err := queryInt(c, "usageDays", registry.DefaultUsageDays)
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
	return h.ok(c, newReportJSON(rep))
}
