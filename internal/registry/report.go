package registry

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// ReportParams filter DeprecationReport.
type ReportParams struct {
	// SubjectPrefix keeps subjects starting with it.
	SubjectPrefix string
	// Owner keeps elements that a consumer with this owner still reads.
	Owner string
	// OverdueOnly keeps elements whose sunset (or minimum deprecation
	// period) has passed.
	OverdueOnly bool
	// UsageDays is how far back runtime clients are reported (default
	// DefaultUsageDays).
	UsageDays int
}

// DefaultUsageDays is the runtime usage window of a report.
const DefaultUsageDays = 30

// Statuses of a reported deprecation.
const (
	// StatusDeprecated: the element may not be removed yet.
	StatusDeprecated = "deprecated"
	// StatusOverdue: its date has passed but consumers still read it.
	StatusOverdue = "overdue"
	// StatusRemovable: its date has passed and no consumer reads it.
	StatusRemovable = "removable"
)

// DeprecationReport lists every deprecated element still present, who
// still reads it and which clients still fetch it.
type DeprecationReport struct {
	GeneratedAt time.Time
	UsageDays   int
	Items       []ReportItem
}

// ReportItem is one deprecated element.
type ReportItem struct {
	Subject string
	// Path is the element's schema path; "" for a version or subject.
	Path string
	// Version is set for a deprecated version.
	Version int
	// Kind is the element kind: "field", "record", "message", "enum",
	// "enum_value", ... for schema elements, or "version" / "subject".
	Kind string
	// Source is "schema" for a marker in the schema text, "record" for a
	// recorded deprecation (RecordID).
	Source      string
	RecordID    int
	Reason      string
	Replacement string
	// Since is when the deprecation first appeared.
	Since  time.Time
	Sunset time.Time // zero: none
	// RemovableFrom is the sunset, or without one Since plus the subject's
	// minimum deprecation period.
	RemovableFrom time.Time
	// DaysLeft counts whole days until RemovableFrom; negative once it
	// has passed (days overdue).
	DaysLeft  int
	Overdue   bool
	Status    string
	Consumers []ReportConsumer
	Clients   []ReportClient
}

// ReportConsumer is a registered consumer still reading an element.
type ReportConsumer struct {
	Name  string
	Owner string
}

// ReportClient is a runtime client that fetched schema ids containing an
// element within the report's usage window.
type ReportClient struct {
	Identity  string
	Count     int64
	LastSeen  time.Time
	SchemaIDs []int
}

// DeprecationReport builds the deprecation report: markers in each
// subject's latest live version (dated by the first live version carrying
// them) and recorded deprecations of elements, versions and subjects that
// still exist, each with its consumers and recent runtime clients.
func (s *Service) DeprecationReport(ctx context.Context, p ReportParams) (*DeprecationReport, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return nil, err
	}
	if p.UsageDays <= 0 {
		p.UsageDays = DefaultUsageDays
	}
	now := s.opts.Now().UTC()
	rep := &DeprecationReport{GeneratedAt: now, UsageDays: p.UsageDays, Items: []ReportItem{}}

	subjects, err := s.store.SubjectList(ctx, SubjectListParams{Prefix: p.SubjectPrefix})
	if err != nil {
		return nil, storeError(err)
	}
	// Rows only of subjects the caller may read.
	subjects = readable(ctx, subjects, subjectName)
	records, err := cs.DeprecationList(ctx, DeprecationListParams{SubjectPrefix: p.SubjectPrefix})
	if err != nil {
		return nil, storeError(err)
	}
	bySubject := map[string][]DeprecationRecord{}
	for _, r := range records {
		bySubject[r.Subject] = append(bySubject[r.Subject], r)
	}
	usage, err := cs.UsageList(ctx, UsageListParams{SeenSince: now.AddDate(0, 0, -p.UsageDays)})
	if err != nil {
		return nil, storeError(err)
	}
	usageByID := map[SchemaKey][]Usage{}
	for _, u := range usage {
		k := SchemaKey{Context: u.Context, ID: u.SchemaID}
		usageByID[k] = append(usageByID[k], u)
	}

	for _, subject := range subjects {
		items, err := s.reportSubject(ctx, subject, bySubject[subject], usageByID, now)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if p.OverdueOnly && !it.Overdue {
				continue
			}
			if p.Owner != "" && !slices.ContainsFunc(it.Consumers, func(c ReportConsumer) bool { return c.Owner == p.Owner }) {
				continue
			}
			rep.Items = append(rep.Items, it)
		}
	}
	return rep, nil
}

// reportVersion is a version of the subject being reported, parsed.
type reportVersion struct {
	SubjectVersion
	parsed schema.Schema
}

func (s *Service) reportSubject(ctx context.Context, subject string, records []DeprecationRecord, usage map[SchemaKey][]Usage, now time.Time) ([]ReportItem, error) {
	cfg, err := s.effectiveConfig(ctx, s.store, subject)
	if err != nil {
		return nil, err
	}
	all, err := s.store.VersionList(ctx, subject, true)
	if err != nil {
		return nil, storeError(err)
	}
	versions := make([]reportVersion, 0, len(all))
	var latest *reportVersion
	for _, v := range all {
		p, err := s.parsedSchema(ctx, s.store, v.Schema)
		if err != nil {
			return nil, err
		}
		versions = append(versions, reportVersion{SubjectVersion: v, parsed: p})
		if !v.Deleted {
			latest = &versions[len(versions)-1]
		}
	}
	if latest == nil {
		return nil, nil
	}
	consumers, err := s.subjectConsumers(ctx, s.store, subject)
	if err != nil {
		return nil, err
	}

	var items []ReportItem
	byPath := map[string]int{} // path → index in items, for field-level merging
	for _, d := range latest.parsed.Deprecations() {
		it := ReportItem{
			Subject: subject, Path: d.Path, Kind: d.Kind, Source: "schema",
			Reason: d.Reason, Replacement: d.Replacement, Sunset: d.Sunset,
			Since: firstMarked(versions, d.Path),
		}
		byPath[d.Path] = len(items)
		items = append(items, it)
	}
	for _, r := range records {
		it := ReportItem{
			Subject: subject, Path: r.Path, Version: r.Version, Kind: r.Scope(), Source: "record", RecordID: r.ID,
			Reason: r.Reason, Replacement: r.Replacement, Sunset: r.Sunset, Since: r.CreatedAt,
		}
		switch {
		case r.Path != "" && !compat.HasPath(latest.parsed, r.Path):
			continue // already removed: its lifecycle is over
		case r.Version != 0 && !slices.ContainsFunc(versions, func(v reportVersion) bool { return v.Version == r.Version && !v.Deleted }):
			continue
		}
		if i, ok := byPath[r.Path]; ok && r.Path != "" {
			items[i] = mergeRecord(items[i], it)
			continue
		}
		items = append(items, it)
	}

	reads := make([]func(string) bool, len(consumers.readers))
	for i, r := range consumers.readers {
		reads[i] = r.ReadsIn(latest.parsed)
	}
	for i := range items {
		it := &items[i]
		it.RemovableFrom = it.Sunset
		if it.RemovableFrom.IsZero() {
			it.RemovableFrom = it.Since.Add(*cfg.MinDeprecationPeriod)
		}
		it.Overdue = !now.Before(it.RemovableFrom)
		it.DaysLeft = daysUntil(now, it.RemovableFrom)
		for j, r := range consumers.readers {
			if reads[j](it.Path) {
				it.Consumers = append(it.Consumers, ReportConsumer{Name: r.Consumer, Owner: r.Owner})
			}
		}
		it.Clients = reportClients(ContextOf(subject), versions, it, usage)
		switch {
		case !it.Overdue:
			it.Status = StatusDeprecated
		case len(it.Consumers) > 0:
			it.Status = StatusOverdue
		default:
			it.Status = StatusRemovable
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Path != items[j].Path {
			return items[i].Path < items[j].Path
		}
		return items[i].Version < items[j].Version
	})
	return items, nil
}

// firstMarked returns the registration time of the first live version
// whose schema marks path deprecated.
func firstMarked(versions []reportVersion, path string) time.Time {
	for _, v := range versions {
		if v.Deleted {
			continue
		}
		for _, d := range v.parsed.Deprecations() {
			if d.Path == path {
				return v.CreatedAt
			}
		}
	}
	return time.Time{}
}

// mergeRecord combines a schema marker with a record of the same element:
// the record's non-empty fields win, and the earlier date is kept.
func mergeRecord(marker, rec ReportItem) ReportItem {
	out := marker
	out.Source, out.RecordID = "schema+record", rec.RecordID
	if rec.Reason != "" {
		out.Reason = rec.Reason
	}
	if rec.Replacement != "" {
		out.Replacement = rec.Replacement
	}
	if !rec.Sunset.IsZero() {
		out.Sunset = rec.Sunset
	}
	if out.Since.IsZero() || rec.Since.Before(out.Since) {
		out.Since = rec.Since
	}
	return out
}

// daysUntil counts whole days from now to t: rounded up while t is ahead,
// negative (whole days past) once it has passed.
func daysUntil(now, t time.Time) int {
	d := t.Sub(now).Hours() / 24
	if d > 0 {
		return int(math.Ceil(d))
	}
	return -int(math.Floor(-d))
}

// reportClients aggregates, per identity, the recent usage of the schema
// ids of the versions that contain the element: ids of the subject's
// context, schemaContext.
func reportClients(schemaContext string, versions []reportVersion, it *ReportItem, usage map[SchemaKey][]Usage) []ReportClient {
	ids := map[int]bool{}
	for _, v := range versions {
		switch {
		case it.Version != 0 && v.Version != it.Version:
		case it.Path != "" && !compat.HasPath(v.parsed, it.Path):
		default:
			ids[v.SchemaID] = true
		}
	}
	byIdentity := map[string]*ReportClient{}
	for id := range ids {
		for _, u := range usage[SchemaKey{Context: schemaContext, ID: id}] {
			c := byIdentity[u.Identity]
			if c == nil {
				c = &ReportClient{Identity: u.Identity}
				byIdentity[u.Identity] = c
			}
			c.Count += u.Count
			if u.LastSeen.After(c.LastSeen) {
				c.LastSeen = u.LastSeen
			}
			c.SchemaIDs = append(c.SchemaIDs, id)
		}
	}
	out := make([]ReportClient, 0, len(byIdentity))
	for _, c := range byIdentity {
		slices.Sort(c.SchemaIDs)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return strings.Compare(out[i].Identity, out[j].Identity) < 0
	})
	return out
}
