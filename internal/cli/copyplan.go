package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
	"github.com/schemata-dev/schemata/srapi"
)

// copyPlan is what a copy does to make a target hold a snapshot: only
// what is missing or different, so running it again after a complete
// copy plans nothing.
type copyPlan struct {
	// imports are grouped by reference depth: every version a group's
	// versions reference is in an earlier group or already in the target.
	imports [][]copyStep
	// deletes are soft-deleted after every import, referencing versions
	// before the versions they reference.
	deletes []copyStep
	// configs set (Fields non-nil) or remove a subject's config; subject
	// "" is the global config.
	configs []configStep
	// modes set (Mode non-empty) or remove a subject's mode, after
	// everything else.
	modes        []modeStep
	consumers    []srapi.Consumer
	deprecations []srapi.Deprecation
	// conflicts are differences a copy cannot repair: the target holds
	// another schema or id under a version the source has.
	conflicts []string
	// warnings are schemas the target's stricter validation refuses,
	// copied as they are through IMPORT.
	warnings []string
}

type copyStep struct {
	subject string
	v       versionState
	// deleteAfter soft-deletes the version once imported.
	deleteAfter bool
}

type configStep struct {
	subject string
	fields  map[string]json.RawMessage
}

type modeStep struct {
	subject, mode string
}

// importCount is the number of versions to import.
func (p *copyPlan) importCount() int {
	n := 0
	for _, g := range p.imports {
		n += len(g)
	}
	return n
}

// empty reports whether the plan changes nothing.
func (p *copyPlan) empty() bool {
	return p.importCount() == 0 && len(p.deletes) == 0 && len(p.configs) == 0 && len(p.modes) == 0 &&
		len(p.consumers) == 0 && len(p.deprecations) == 0
}

// deletesVersion reports whether the plan soft-deletes the version.
func (p *copyPlan) deletesVersion(subject string, version int) bool {
	for _, s := range p.deletes {
		if s.subject == subject && s.v.Version == version {
			return true
		}
	}
	return false
}

// writesSubjects lists the subjects the plan imports or deletes in.
func (p *copyPlan) writesSubjects() map[string]bool {
	out := map[string]bool{}
	for _, g := range p.imports {
		for _, s := range g {
			out[s.subject] = true
		}
	}
	for _, s := range p.deletes {
		out[s.subject] = true
	}
	return out
}

// planCopy compares the snapshot src with the target's dst. copyGlobal
// also copies the global mode.
func planCopy(src, dst *snapshot, copyGlobalMode bool) *copyPlan {
	p := &copyPlan{}
	depth := referenceDepths(src)
	var imports []copyStep
	for _, name := range src.sortedSubjects() {
		st := src.Subjects[name]
		have := dst.Subjects[name]
		for _, v := range st.Versions {
			var t *versionState
			if have != nil {
				t = have.version(v.Version)
			}
			switch {
			case t == nil:
				imports = append(imports, copyStep{subject: name, v: v, deleteAfter: v.Deleted})
			case t.ID != v.ID || t.fingerprint() != v.fingerprint():
				p.conflicts = append(p.conflicts, fmt.Sprintf("%s: the target holds id %d (fingerprint %s), the source id %d (fingerprint %s)",
					describeVersion(name, v), t.ID, t.fingerprint(), v.ID, v.fingerprint()))
			case v.Deleted && !t.Deleted:
				p.deletes = append(p.deletes, copyStep{subject: name, v: v})
			case !v.Deleted && t.Deleted:
				p.conflicts = append(p.conflicts, fmt.Sprintf("%s: soft-deleted in the target, live in the source", describeVersion(name, v)))
			}
		}
		var haveCfg map[string]json.RawMessage
		haveMode := ""
		if have != nil {
			haveCfg, haveMode = have.Config, have.Mode
		}
		switch {
		case st.Config == nil && haveCfg != nil:
			p.configs = append(p.configs, configStep{subject: name})
		case st.Config != nil && !configHolds(haveCfg, st.Config):
			p.configs = append(p.configs, configStep{subject: name, fields: configBody(st.Config)})
		}
		if st.Mode != haveMode {
			p.modes = append(p.modes, modeStep{subject: name, mode: st.Mode})
		}
	}
	if !configHolds(dst.GlobalConfig, src.GlobalConfig) {
		p.configs = append([]configStep{{fields: configBody(src.GlobalConfig)}}, p.configs...)
	}
	if copyGlobalMode && src.GlobalMode != "" && src.GlobalMode != dst.GlobalMode {
		p.modes = append(p.modes, modeStep{mode: src.GlobalMode})
	}
	for _, s := range imports {
		d := depth[versionKey(s.subject, s.v.Version)]
		for len(p.imports) <= d {
			p.imports = append(p.imports, nil)
		}
		p.imports[d] = append(p.imports[d], s)
		if s.deleteAfter {
			p.deletes = append(p.deletes, s)
		}
	}
	p.imports = slices.DeleteFunc(p.imports, func(g []copyStep) bool { return len(g) == 0 })
	// Referencing versions go before the versions they reference.
	slices.SortStableFunc(p.deletes, func(a, b copyStep) int {
		return depth[versionKey(b.subject, b.v.Version)] - depth[versionKey(a.subject, a.v.Version)]
	})
	p.consumers = missingConsumers(src.Consumers, dst.Consumers)
	p.deprecations = missingDeprecations(src.Deprecations, dst.Deprecations)
	return p
}

// referenceDepths gives every version of the snapshot its depth in the
// reference graph: 0 without references, else one more than the deepest
// version it references. A cycle (which no registry accepts) is cut.
func referenceDepths(src *snapshot) map[string]int {
	depth := map[string]int{}
	visiting := map[string]bool{}
	var visit func(subject string, v versionState) int
	visit = func(subject string, v versionState) int {
		key := versionKey(subject, v.Version)
		if d, ok := depth[key]; ok {
			return d
		}
		if visiting[key] {
			return 0
		}
		visiting[key] = true
		d := 0
		for _, r := range v.Schema.References {
			if target, t, ok := referenced(src, srapi.ContextOf(subject), r); ok {
				d = max(d, visit(target, t)+1)
			}
		}
		depth[key] = d
		return d
	}
	for _, name := range src.sortedSubjects() {
		for _, v := range src.Subjects[name].Versions {
			visit(name, v)
		}
	}
	return depth
}

// referenced finds the subject and version a reference made from a
// schema of schemaContext points at in the snapshot (an unqualified
// subject is one of that context); version -1 (or 0) is the latest live
// version.
func referenced(src *snapshot, schemaContext string, r srapi.Reference) (string, versionState, bool) {
	target := srapi.ReferenceTarget(schemaContext, r.Subject)
	st := src.Subjects[target]
	if st == nil {
		return target, versionState{}, false
	}
	if r.Version > 0 {
		v := st.version(r.Version)
		if v == nil {
			return target, versionState{}, false
		}
		return target, *v, true
	}
	for i := len(st.Versions) - 1; i >= 0; i-- {
		if !st.Versions[i].Deleted {
			return target, st.Versions[i], true
		}
	}
	return target, versionState{}, false
}

// configHolds reports whether have holds every field of want with the
// same value; fields only have knows (this registry's extensions) do not
// matter.
func configHolds(have, want map[string]json.RawMessage) bool {
	for k, w := range want {
		if isNull(w) {
			continue
		}
		h, ok := have[k]
		if !ok || !bytes.Equal(compactJSON(h), compactJSON(w)) {
			return false
		}
	}
	return true
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// configBody turns a GET /config answer into a PUT /config body: the
// level under Confluent's request key, null fields left out.
func configBody(cfg map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range cfg {
		if isNull(v) {
			continue
		}
		if k == "compatibilityLevel" {
			k = "compatibility"
		}
		out[k] = v
	}
	return out
}

func missingConsumers(src, dst []srapi.Consumer) []srapi.Consumer {
	have := map[string]string{}
	for _, c := range dst {
		have[c.Name] = consumerKey(c)
	}
	var out []srapi.Consumer
	for _, c := range src {
		if k, ok := have[c.Name]; !ok || k != consumerKey(c) {
			c.CreatedAt, c.UpdatedAt = nil, nil
			out = append(out, c)
		}
	}
	return out
}

// consumerKey is a consumer's definition without the registry's
// timestamps.
func consumerKey(c srapi.Consumer) string {
	c.CreatedAt, c.UpdatedAt = nil, nil
	b, _ := json.Marshal(c)
	return string(b)
}

func missingDeprecations(src, dst []srapi.Deprecation) []srapi.Deprecation {
	have := map[string]string{}
	for _, d := range dst {
		have[deprecationElement(d)] = deprecationKey(d)
	}
	var out []srapi.Deprecation
	for _, d := range src {
		if k, ok := have[deprecationElement(d)]; !ok || k != deprecationKey(d) {
			d.ID, d.Since = 0, nil
			out = append(out, d)
		}
	}
	return out
}

// deprecationElement names what a record deprecates.
func deprecationElement(d srapi.Deprecation) string {
	return fmt.Sprintf("%s\x00%s\x00%d", d.Subject, d.Path, d.Version)
}

// deprecationKey is a record without its id and date.
func deprecationKey(d srapi.Deprecation) string {
	d.ID, d.Since = 0, nil
	b, _ := json.Marshal(d)
	return string(b)
}

// strictWarnings lists the versions to import that the formats' own
// validation refuses: the target stores them as they are (IMPORT keeps
// what another registry accepted), and the user should know.
func strictWarnings(src *snapshot, p *copyPlan) []string {
	var out []string
	for _, g := range p.imports {
		for _, s := range g {
			f, err := schema.ParseFormat(s.v.Schema.SchemaType)
			if err != nil {
				out = append(out, fmt.Sprintf("%s: %v", describeVersion(s.subject, s.v), err))
				continue
			}
			deps := dependencies(src, srapi.ContextOf(s.subject), s.v.Schema.References, map[string]bool{})
			if _, err := formats.Parse(f, s.v.Schema.Schema, deps); err != nil {
				out = append(out, fmt.Sprintf("%s is copied as it is, though this registry's validation refuses it: %v",
					describeVersion(s.subject, s.v), err))
			}
		}
	}
	return out
}

// dependencies resolves references within the snapshot, each dependency
// after its own.
func dependencies(src *snapshot, schemaContext string, refs []srapi.Reference, seen map[string]bool) []schema.Dependency {
	var out []schema.Dependency
	for _, r := range refs {
		target, t, ok := referenced(src, schemaContext, r)
		key := versionKey(target, t.Version)
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, dependencies(src, srapi.ContextOf(target), t.Schema.References, seen)...)
		out = append(out, schema.Dependency{Name: r.Name, Text: t.Schema.Schema})
	}
	return out
}

// printPlan writes the plan, one line per change, for --dry-run.
func printPlan(w io.Writer, p *copyPlan) {
	for _, g := range p.imports {
		for _, s := range g {
			then := ""
			if s.deleteAfter {
				then = ", then soft-delete it"
			}
			fmt.Fprintf(w, "import %s, %s%s\n", describeVersion(s.subject, s.v), s.v.Schema.Type(), then)
		}
	}
	for _, s := range p.deletes {
		if !s.deleteAfter {
			fmt.Fprintf(w, "soft-delete %s\n", describeVersion(s.subject, s.v))
		}
	}
	for _, c := range p.configs {
		if c.fields == nil {
			fmt.Fprintf(w, "remove the config of %s\n", subjectLabel(c.subject))
			continue
		}
		b, _ := json.Marshal(c.fields)
		fmt.Fprintf(w, "set the config of %s to %s\n", subjectLabel(c.subject), b)
	}
	for _, m := range p.modes {
		if m.mode == "" {
			fmt.Fprintf(w, "remove the mode of %s\n", subjectLabel(m.subject))
			continue
		}
		fmt.Fprintf(w, "set the mode of %s to %s\n", subjectLabel(m.subject), m.mode)
	}
	for _, c := range p.consumers {
		fmt.Fprintf(w, "put consumer %q\n", c.Name)
	}
	for _, d := range p.deprecations {
		fmt.Fprintf(w, "record the deprecation of %s\n", deprecationLabel(d))
	}
	for _, c := range p.conflicts {
		fmt.Fprintf(w, "conflict: %s\n", c)
	}
	for _, warn := range p.warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

func subjectLabel(subject string) string {
	if subject == "" {
		return "the registry (global)"
	}
	return fmt.Sprintf("subject %q", subject)
}

func deprecationLabel(d srapi.Deprecation) string {
	switch {
	case d.Path != "":
		return fmt.Sprintf("%s in %q", d.Path, d.Subject)
	case d.Version != 0:
		return fmt.Sprintf("%q version %d", d.Subject, d.Version)
	}
	return fmt.Sprintf("subject %q", d.Subject)
}

// compareSnapshots lists every difference between what the source holds
// and what the target holds: each (subject, version, id, fingerprint,
// soft-deleted) on either side, subject configs and modes, and the global
// mode when copied.
func compareSnapshots(src, dst *snapshot, withGlobalMode bool) (compared int, diffs []string) {
	names := src.sortedSubjects()
	for _, n := range dst.sortedSubjects() {
		if src.Subjects[n] == nil {
			names = append(names, n)
		}
	}
	for _, name := range names {
		s, t := src.Subjects[name], dst.Subjects[name]
		if s == nil {
			s = &subjectState{Name: name}
		}
		if t == nil {
			t = &subjectState{Name: name}
		}
		for _, v := range s.Versions {
			compared++
			tv := t.version(v.Version)
			switch {
			case tv == nil:
				diffs = append(diffs, fmt.Sprintf("%s: missing in the target", describeVersion(name, v)))
			case tv.ID != v.ID || tv.fingerprint() != v.fingerprint() || tv.Deleted != v.Deleted:
				diffs = append(diffs, fmt.Sprintf("%s version %d: source id %d fingerprint %s%s, target id %d fingerprint %s%s",
					name, v.Version, v.ID, v.fingerprint(), deletedMark(v), tv.ID, tv.fingerprint(), deletedMark(*tv)))
			}
		}
		for _, v := range t.Versions {
			if s.version(v.Version) == nil {
				diffs = append(diffs, fmt.Sprintf("%s: only in the target", describeVersion(name, v)))
			}
		}
		if !configHolds(t.Config, s.Config) || (s.Config == nil) != (t.Config == nil) {
			diffs = append(diffs, fmt.Sprintf("config of %s: source %s, target %s", subjectLabel(name), rawConfig(s.Config), rawConfig(t.Config)))
		}
		if s.Mode != t.Mode {
			diffs = append(diffs, fmt.Sprintf("mode of %s: source %q, target %q", subjectLabel(name), s.Mode, t.Mode))
		}
	}
	if !configHolds(dst.GlobalConfig, src.GlobalConfig) {
		diffs = append(diffs, fmt.Sprintf("global config: source %s, target %s", rawConfig(src.GlobalConfig), rawConfig(dst.GlobalConfig)))
	}
	if withGlobalMode && src.GlobalMode != dst.GlobalMode {
		diffs = append(diffs, fmt.Sprintf("global mode: source %q, target %q", src.GlobalMode, dst.GlobalMode))
	}
	if len(missingConsumers(src.Consumers, dst.Consumers)) > 0 {
		diffs = append(diffs, "consumers differ")
	}
	if len(missingDeprecations(src.Deprecations, dst.Deprecations)) > 0 {
		diffs = append(diffs, "deprecation records differ")
	}
	return compared, diffs
}

func deletedMark(v versionState) string {
	if v.Deleted {
		return " (soft-deleted)"
	}
	return ""
}

func rawConfig(cfg map[string]json.RawMessage) string {
	if cfg == nil {
		return "none"
	}
	keys := slices.Sorted(maps.Keys(cfg))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+string(compactJSON(cfg[k])))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// importRequest is the body that imports v with its id and version.
func importRequest(v versionState) client.RegisterRequest {
	req := v.Schema.Request()
	req.ID, req.Version = v.ID, v.Version
	return req
}
