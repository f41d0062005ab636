package compat

import (
	"time"

	"github.com/schemata-dev/schemata/schema"
)

// deprecationMark is what a subject's history says about one deprecated
// element: its latest details and since when it has been deprecated.
type deprecationMark struct {
	dep   schema.Deprecation
	since time.Time
}

// deprecationMarks indexes by path the deprecations of history and those
// the registry recorded: the most recent marker in the schema texts, dated
// from the first version that carried it, and each recorded deprecation,
// whose reason, sunset and replacement win over the marker's where set,
// and whose date wins when it is earlier. Versions without a schema are
// skipped. The additive checks build it once per check, so judging many
// removals stays linear.
func deprecationMarks(history []Version, recorded []RecordedDeprecation) map[string]deprecationMark {
	out := map[string]deprecationMark{}
	for _, v := range history {
		if v.Schema == nil {
			continue
		}
		for _, d := range v.Schema.Deprecations() {
			m, seen := out[d.Path]
			if !seen {
				m.since = v.RegisteredAt
			}
			m.dep = d
			out[d.Path] = m
		}
	}
	for _, rd := range recorded {
		m, seen := out[rd.Path]
		if !seen {
			out[rd.Path] = deprecationMark{dep: rd.Deprecation, since: rd.Since}
			continue
		}
		// A record is the later, explicit act: what it sets wins over the
		// marker, as in the deprecation report.
		if rd.Reason != "" {
			m.dep.Reason = rd.Reason
		}
		if !rd.Sunset.IsZero() {
			m.dep.Sunset = rd.Sunset
		}
		if rd.Replacement != "" {
			m.dep.Replacement = rd.Replacement
		}
		if rd.Since.Before(m.since) {
			m.since = rd.Since
		}
		out[rd.Path] = m
	}
	return out
}
