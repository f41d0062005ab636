package serde

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/schemata-dev/schemata/srapi"
)

// Deprecation is one deprecated element of a schema a pipeline fetched:
// the whole subject, one version of it, or a field.
type Deprecation struct {
	// SchemaID is the id of the schema fetched.
	SchemaID int
	// Subject is the deprecated subject; empty when only the response
	// headers were available and the lookup was by id.
	Subject string
	// Version is the deprecated version; 0 when the deprecation is not
	// version-specific.
	Version int
	// Scope is "subject", "version" or "field".
	Scope string
	// Element is the schema path of a deprecated field ("Order.note"),
	// "" for a subject or version.
	Element     string
	Reason      string
	Replacement string
	// Since is when the deprecation was recorded.
	Since time.Time
	// Sunset is when the element goes away; zero when no date was set.
	Sunset time.Time
}

// key identifies the deprecation for logging once and for the metric.
func (d Deprecation) key() string {
	el := d.Element
	if el == "" {
		el = d.Scope
	}
	return strconv.Itoa(d.SchemaID) + "\x00" + d.Subject + "\x00" + el
}

// element names what is deprecated, for logs and metric labels.
func (d Deprecation) element() string {
	switch {
	case d.Element != "":
		return d.Element
	case d.Version != 0:
		return d.Subject + " version " + strconv.Itoa(d.Version)
	case d.Subject != "":
		return d.Subject
	}
	return d.Scope
}

// deprecations reports what fetched schemas carry: the hook or the
// default once-per-element warning, and the metrics.
type deprecations struct {
	hook   func(context.Context, Deprecation)
	logger *slog.Logger
	warned sync.Map // Deprecation.key() -> struct{}

	found *prometheus.CounterVec
	uses  *prometheus.CounterVec
}

func newDeprecations(o *options) (*deprecations, error) {
	d := &deprecations{
		hook:   o.onDeprecated,
		logger: o.logger,
		found: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schemata", Subsystem: "serde", Name: "deprecations_found_total",
			Help: "Deprecated elements found in fetched schemas, by schema id and element.",
		}, []string{"schema_id", "element"}),
		uses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schemata", Subsystem: "serde", Name: "deprecated_schema_uses_total",
			Help: "Messages serialized or deserialized with a schema that has a deprecated element, by schema id and element.",
		}, []string{"schema_id", "element"}),
	}
	if d.logger == nil {
		d.logger = slog.Default()
	}
	if o.registerer != nil {
		for _, c := range []*prometheus.CounterVec{d.found, d.uses} {
			if err := o.registerer.Register(c); err != nil {
				var are prometheus.AlreadyRegisteredError
				if !errors.As(err, &are) {
					return nil, err
				}
				// Several Registries in one process share the counters.
				*c = *are.ExistingCollector.(*prometheus.CounterVec)
			}
		}
	}
	return d, nil
}

// report hands each deprecation of a freshly fetched schema to the hook,
// or logs it once per (schema id, element), and counts it.
func (d *deprecations) report(ctx context.Context, deps []Deprecation) {
	for _, dep := range deps {
		d.found.WithLabelValues(strconv.Itoa(dep.SchemaID), dep.element()).Inc()
		if d.hook != nil {
			d.hook(ctx, dep)
			continue
		}
		if _, seen := d.warned.LoadOrStore(dep.key(), struct{}{}); seen {
			continue
		}
		attrs := []slog.Attr{
			slog.Int("schema_id", dep.SchemaID),
			slog.String("scope", dep.Scope),
			slog.String("element", dep.element()),
		}
		if !dep.Sunset.IsZero() {
			attrs = append(attrs, slog.String("sunset", dep.Sunset.Format(time.DateOnly)))
		}
		if dep.Replacement != "" {
			attrs = append(attrs, slog.String("replacement", dep.Replacement))
		}
		if dep.Reason != "" {
			attrs = append(attrs, slog.String("reason", dep.Reason))
		}
		d.logger.LogAttrs(ctx, slog.LevelWarn, "reading a deprecated schema element", attrs...)
	}
}

// counters returns the per-use counters of a schema's deprecations,
// resolved once so that counting a use is an atomic add.
func (d *deprecations) counters(deps []Deprecation) []prometheus.Counter {
	if len(deps) == 0 {
		return nil
	}
	out := make([]prometheus.Counter, len(deps))
	for i, dep := range deps {
		out[i] = d.uses.WithLabelValues(strconv.Itoa(dep.SchemaID), dep.element())
	}
	return out
}

// Metrics returns the package's collectors, for a caller that registers
// them itself rather than with WithRegisterer:
// schemata_serde_deprecations_found_total counts deprecated elements
// found in fetched schemas and schemata_serde_deprecated_schema_uses_total
// counts messages serialized or deserialized with such a schema, both by
// schema id and element.
func (r *Registry) Metrics() []prometheus.Collector {
	return []prometheus.Collector{r.deps.found, r.deps.uses}
}

// resolveDeprecations turns what the lookup of schema id said into
// deprecations. The headers only say that a subject or version using the
// id is deprecated, and since when until when; the records say which
// subject, version or field, why, and what replaces it. A failure to read
// the records falls back to the headers: a pipeline must not stop
// because the registry could not explain a deprecation.
func (r *Registry) resolveDeprecations(ctx context.Context, id int, known []srapi.SubjectVersionRef, sig signal) []Deprecation {
	var out []Deprecation
	if !r.opts.skipDetails {
		var err error
		out, err = r.recordDeprecations(ctx, id, known)
		if err == nil {
			return out
		}
		if !errors.Is(err, errNoRoute) {
			r.deps.logger.WarnContext(ctx, "deprecation details unavailable", slog.Int("schema_id", id), slog.Any("error", err))
		}
	}
	if !sig.deprecated {
		return nil
	}
	d := Deprecation{SchemaID: id, Scope: "subject", Since: sig.since, Sunset: sig.sunset}
	if len(known) == 1 {
		d.Subject = known[0].Subject
	}
	return []Deprecation{d}
}

// recordDeprecations reads the deprecation records of every subject that
// uses schema id and keeps those that apply to it.
func (r *Registry) recordDeprecations(ctx context.Context, id int, known []srapi.SubjectVersionRef) ([]Deprecation, error) {
	uses := known
	if uses == nil {
		var err error
		if uses, err = r.remote.versionsOf(ctx, id); err != nil {
			return nil, err
		}
	}
	var out []Deprecation
	seen := map[string]bool{}
	for _, sv := range uses {
		if seen[sv.Subject] {
			continue
		}
		seen[sv.Subject] = true
		recs, err := r.remote.deprecations(ctx, sv.Subject)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if rec.Version != 0 && !usesVersion(uses, sv.Subject, rec.Version) {
				continue
			}
			d := Deprecation{
				SchemaID: id, Subject: rec.Subject, Version: rec.Version, Scope: rec.Scope,
				Element: rec.Path, Reason: rec.Reason, Replacement: rec.Replacement,
			}
			if rec.Since != nil {
				d.Since = rec.Since.UTC()
			}
			if rec.Sunset != "" {
				if t, err := time.Parse(time.RFC3339, rec.Sunset); err == nil {
					d.Sunset = t.UTC()
				}
			}
			out = append(out, d)
		}
	}
	return out, nil
}

func usesVersion(uses []srapi.SubjectVersionRef, subject string, version int) bool {
	for _, sv := range uses {
		if sv.Subject == subject && sv.Version == version {
			return true
		}
	}
	return false
}
