package ui

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// maxReferrers bounds the referring schemas a subject page resolves.
const maxReferrers = 100

// subjectPage is the data of a subject's page.
type subjectPage struct {
	Subject string
	// Versions is the timeline, newest first.
	Versions []versionRow
	// Shown is the version whose schema is displayed.
	Shown       *registry.SubjectVersion
	ShownIsLast bool
	Lines       []template.HTML
	// Plain reports that Lines are not highlighted: the schema is larger
	// than plainTextAbove.
	Plain        bool
	Config       configView
	References   []schema.Reference
	Referrers    []registry.SubjectVersion
	Consumers    []registry.Consumer
	Deprecations []registry.ReportItem
}

// versionRow is one entry of the version timeline.
type versionRow struct {
	registry.SubjectVersion
	// Previous is the live version before this one, 0 for the first: the
	// default left side of its diff.
	Previous int
}

// configView is the subject's effective config, dereferenced.
type configView struct {
	Level                string
	AdditiveOnly         bool
	MinDeprecationPeriod string
	ConsumerBreakage     string
}

func newConfigView(c registry.Config) configView {
	var v configView
	if c.Compatibility != nil {
		v.Level = string(*c.Compatibility)
	}
	if c.AdditiveOnly != nil {
		v.AdditiveOnly = *c.AdditiveOnly
	}
	if c.MinDeprecationPeriod != nil {
		v.MinDeprecationPeriod = formatDays(*c.MinDeprecationPeriod)
	}
	if c.ConsumerBreakage != nil {
		v.ConsumerBreakage = *c.ConsumerBreakage
	}
	return v
}

// subject serves GET /ui/subjects/{subject}: the version timeline, the
// config in force, the schema of one version (the version query
// parameter; the latest live one by default) highlighted, its references
// and referrers, the consumers reading the subject and what is
// deprecated in it.
func (h *handler) subject(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("subject")
	history, err := h.subjectHistory(ctx, name)
	if err != nil {
		return err
	}
	p := &subjectPage{Subject: name}
	prev := 0
	for _, v := range history {
		p.Versions = append(p.Versions, versionRow{SubjectVersion: v, Previous: prev})
		if !v.Deleted {
			prev = v.Version
		}
	}
	slices.Reverse(p.Versions)
	if p.Shown, err = pickVersion(history, r.URL.Query().Get("version")); err != nil {
		return err
	}
	p.ShownIsLast = p.Shown.Version == history[len(history)-1].Version
	p.Lines, p.Plain = displayLines(p.Shown.Schema.Format, layoutText(p.Shown.Schema.Format, p.Shown.Schema.Text).Text)
	p.References = p.Shown.Schema.References

	cfg, err := h.svc.Config(ctx, name, true)
	if err != nil {
		return err
	}
	p.Config = newConfigView(cfg)
	if p.Referrers, err = h.referrers(ctx, name, p.Shown.Version); err != nil {
		return err
	}
	if p.Consumers, err = h.svc.Consumers(ctx, registry.ConsumerListParams{Subject: name}); err != nil {
		return err
	}
	rep, err := h.svc.DeprecationReport(ctx, registry.ReportParams{SubjectPrefix: name})
	if err != nil {
		return err
	}
	for _, it := range rep.Items {
		if it.Subject == name {
			p.Deprecations = append(p.Deprecations, it)
		}
	}
	h.render(w, r, http.StatusOK, "subject", p)
	return nil
}

// subjectHistory authorizes reading the subject, then returns its version
// history (soft-deleted versions included).
func (h *handler) subjectHistory(ctx context.Context, subject string) ([]registry.SubjectVersion, error) {
	if err := h.opts.Authorizer(ctx, Read, subject); err != nil {
		return nil, err
	}
	return h.svc.VersionHistory(ctx, subject)
}

// latestLive is the highest live version, else (every version is
// soft-deleted) the highest version.
func latestLive(history []registry.SubjectVersion) *registry.SubjectVersion {
	for i := len(history) - 1; i >= 0; i-- {
		if !history[i].Deleted {
			return &history[i]
		}
	}
	return &history[len(history)-1]
}

// pickVersion returns the version the query names, or the latest live
// one (the latest of all when every version is soft-deleted).
func pickVersion(history []registry.SubjectVersion, q string) (*registry.SubjectVersion, error) {
	if q == "" || q == "latest" {
		return latestLive(history), nil
	}
	n, err := strconv.Atoi(q)
	if err != nil {
		return nil, badRequest("The version %q is not a version number.", q)
	}
	for i := range history {
		if history[i].Version == n {
			return &history[i], nil
		}
	}
	return nil, &pageError{status: http.StatusNotFound, message: "Version " + q + " not found."}
}

// referrers lists the subject versions whose schemas reference
// subject/version, resolving at most maxReferrers schema ids.
func (h *handler) referrers(ctx context.Context, subject string, version int) ([]registry.SubjectVersion, error) {
	ids, err := h.svc.ReferencedBy(ctx, subject, version)
	if err != nil {
		return nil, err
	}
	var out []registry.SubjectVersion
	for _, id := range ids[:min(len(ids), maxReferrers)] {
		// Referrers are looked up in the referenced subject's context.
		vs, err := h.svc.SchemaVersions(ctx, registry.ContextOf(subject), id, false)
		var de *registry.Error
		if errors.As(err, &de) && de.Code == srapi.CodeSchemaNotFound {
			continue // deleted since the listing
		}
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if h.can(ctx, Read, v.Subject) {
				out = append(out, v)
			}
		}
	}
	return out, nil
}
