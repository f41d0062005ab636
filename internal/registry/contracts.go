package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/avro"
	"github.com/schemata-dev/schemata/schema/protobuf"
	"github.com/schemata-dev/schemata/srapi"
)

// Data contracts, as Confluent defines them: a schema carries metadata
// (tags on paths, free properties, sensitive names) and a rule set; both
// are part of its identity. Config may hold defaults, merged under a
// registration's own, and overrides, merged over it. The registry stores
// and merges rules; clients' serializers execute them.
//
// Metadata and rule sets travel through the domain as canonical JSON:
// maps sorted (encoding/json does that), sets sorted and deduplicated,
// rule kind and mode made explicit, so that equal contracts have equal
// bytes and the fingerprint can hash them.

// The domain works on the contract's own types (srapi.Metadata,
// srapi.RuleSet): they are what is stored, as canonical JSON.

func metadataEmpty(m *srapi.Metadata) bool {
	return m == nil || len(m.Tags) == 0 && len(m.Properties) == 0 && len(m.Sensitive) == 0
}

func ruleSetEmpty(r *srapi.RuleSet) bool {
	return r == nil || len(r.MigrationRules) == 0 && len(r.DomainRules) == 0 && len(r.EncodingRules) == 0
}

// sortedSet sorts and deduplicates s.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// decodeMetadata reads stored or submitted metadata; nil when absent.
func decodeMetadata(raw json.RawMessage) (*srapi.Metadata, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	var m srapi.Metadata
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, Errorf(srapi.CodeInvalidSchema, "Invalid metadata: %v", err)
	}
	for path, tags := range m.Tags {
		m.Tags[path] = sortedSet(tags)
	}
	m.Sensitive = sortedSet(m.Sensitive)
	return &m, nil
}

// decodeRuleSet reads and validates a rule set as Confluent does; nil when
// absent. A rule without kind is a TRANSFORM, without mode WRITEREAD.
func decodeRuleSet(raw json.RawMessage) (*srapi.RuleSet, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	var rs srapi.RuleSet
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, Errorf(srapi.CodeInvalidRuleSet, "Invalid ruleSet: %v", err)
	}
	names := map[string]bool{}
	for _, list := range []struct {
		field     string
		rules     []srapi.Rule
		migration bool
	}{
		{"migrationRules", rs.MigrationRules, true},
		{"domainRules", rs.DomainRules, false},
		{"encodingRules", rs.EncodingRules, false},
	} {
		for i := range list.rules {
			r := &list.rules[i]
			where := fmt.Sprintf("%s[%d]", list.field, i)
			if err := validateRule(r, where, list.migration); err != nil {
				return nil, err
			}
			if names[r.Name] {
				return nil, Errorf(srapi.CodeInvalidRuleSet, "Invalid ruleSet: %s: found rule with duplicate name '%s'", where, r.Name)
			}
			names[r.Name] = true
		}
	}
	return &rs, nil
}

func validateRule(r *srapi.Rule, where string, migration bool) error {
	bad := func(format string, args ...any) error {
		return Errorf(srapi.CodeInvalidRuleSet, "Invalid ruleSet: %s: %s", where, fmt.Sprintf(format, args...))
	}
	if r.Name == "" {
		return bad("missing rule name")
	}
	for i, c := range r.Name {
		if !(unicode.IsLetter(c) || c == '_' || i > 0 && unicode.IsDigit(c)) {
			return bad("illegal character in rule name %q: a letter or _ first, then letters, digits or _", r.Name)
		}
	}
	if r.Type == "" {
		return bad("rule %s: missing rule type", r.Name)
	}
	switch r.Kind {
	case "":
		r.Kind = srapi.RuleKindTransform
	case srapi.RuleKindCondition, srapi.RuleKindTransform:
	default:
		return bad("rule %s: invalid kind %q: valid kinds are CONDITION and TRANSFORM", r.Name, r.Kind)
	}
	if r.Mode == "" {
		r.Mode = srapi.RuleModeWriteRead
	}
	switch r.Mode {
	case srapi.RuleModeUpgrade, srapi.RuleModeDowngrade, srapi.RuleModeUpDown:
		if !migration {
			return bad("rule %s: mode %s: domain and encoding rules can only be WRITE, READ, WRITEREAD", r.Name, r.Mode)
		}
	case srapi.RuleModeWrite, srapi.RuleModeRead, srapi.RuleModeWriteRead:
		if migration {
			return bad("rule %s: mode %s: migration rules can only be UPGRADE, DOWNGRADE, UPDOWN", r.Name, r.Mode)
		}
	default:
		return bad("rule %s: invalid mode %q: valid modes are UPGRADE, DOWNGRADE, UPDOWN, WRITE, READ, WRITEREAD", r.Name, r.Mode)
	}
	r.Tags = sortedSet(r.Tags)
	return nil
}

func isAbsent(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// encodeContract renders a decoded contract part canonically; an empty
// one is nil (absent), as an empty part changes nothing in Confluent's
// identity hash either.
func encodeContract[T any](v *T, empty func(*T) bool) json.RawMessage {
	if empty(v) {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Maps of strings and slices of structs always marshal.
		panic(fmt.Sprintf("registry: encoding a contract: %v", err))
	}
	return b
}

// canonicalContract validates metadata and a rule set and returns their
// canonical forms. An empty but present part stays present ("{}"): a
// registration that sends {} does not inherit the previous version's.
func canonicalContract(metadata, ruleSet json.RawMessage) (json.RawMessage, json.RawMessage, error) {
	m, err := decodeMetadata(metadata)
	if err != nil {
		return nil, nil, err
	}
	rs, err := decodeRuleSet(ruleSet)
	if err != nil {
		return nil, nil, err
	}
	outM, outR := encodeContract(m, metadataEmpty), encodeContract(rs, ruleSetEmpty)
	if m != nil && outM == nil {
		outM = json.RawMessage("{}")
	}
	if rs != nil && outR == nil {
		outR = json.RawMessage("{}")
	}
	return outM, outR, nil
}

// storedContract is a canonical contract part as stored and compared: an
// empty part is absent.
func storedContract(raw json.RawMessage) json.RawMessage {
	if bytes.Equal(raw, []byte("{}")) {
		return nil
	}
	return raw
}

// mergeMetadata is Confluent's merge: over's tags and properties replace
// base's of the same key, sensitive names are united.
func mergeMetadata(base, over *srapi.Metadata) *srapi.Metadata {
	switch {
	case base == nil:
		return over
	case over == nil:
		return base
	}
	out := &srapi.Metadata{
		Tags:       mergeMap(base.Tags, over.Tags),
		Properties: mergeMap(base.Properties, over.Properties),
		Sensitive:  sortedSet(append(slices.Clone(base.Sensitive), over.Sensitive...)),
	}
	return out
}

func mergeMap[V any](base, over map[string]V) map[string]V {
	if len(base) == 0 {
		return over
	}
	if len(over) == 0 {
		return base
	}
	out := maps.Clone(base)
	maps.Copy(out, over)
	return out
}

// mergeRuleSets is Confluent's merge, per list: base's rules without those
// over names, then over's.
func mergeRuleSets(base, over *srapi.RuleSet) *srapi.RuleSet {
	switch {
	case base == nil:
		return over
	case over == nil:
		return base
	}
	return &srapi.RuleSet{
		MigrationRules: mergeRules(base.MigrationRules, over.MigrationRules),
		DomainRules:    mergeRules(base.DomainRules, over.DomainRules),
		EncodingRules:  mergeRules(base.EncodingRules, over.EncodingRules),
	}
}

func mergeRules(base, over []srapi.Rule) []srapi.Rule {
	if len(base) == 0 {
		return over
	}
	if len(over) == 0 {
		return base
	}
	named := map[string]bool{}
	for _, r := range over {
		named[r.Name] = true
	}
	var out []srapi.Rule
	for _, r := range base {
		if !named[r.Name] {
			out = append(out, r)
		}
	}
	return append(out, over...)
}

// hasContracts reports whether c holds defaults or overrides.
func (c Config) hasContracts() bool {
	return c.DefaultMetadata != nil || c.OverrideMetadata != nil || c.DefaultRuleSet != nil || c.OverrideRuleSet != nil
}

// mergeContracts returns in with the metadata and rule set a registration
// stores, in Confluent's order: the config's default, then the request's
// own (or, when it carries none, the latest live version's), then the
// config's override.
func mergeContracts(ctx context.Context, ex Executor, subject string, in SchemaInput, cfg Config) (SchemaInput, error) {
	var latest *SubjectVersion
	if in.Metadata == nil || in.RuleSet == nil {
		var err error
		latest, err = ex.VersionLatest(ctx, subject, false)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return in, storeError(err)
		}
	}
	return mergeContractsOver(in, cfg, latest)
}

// mergeContractsOver is mergeContracts with the subject's latest live
// version (nil when none) already read.
func mergeContractsOver(in SchemaInput, cfg Config, latest *SubjectVersion) (SchemaInput, error) {
	specificM, specificR := in.Metadata, in.RuleSet
	if latest != nil && latest.Schema != nil {
		if specificM == nil {
			specificM = latest.Schema.Metadata
		}
		if specificR == nil {
			specificR = latest.Schema.RuleSet
		}
	}
	var ms [3]*srapi.Metadata
	for i, raw := range []json.RawMessage{cfg.DefaultMetadata, specificM, cfg.OverrideMetadata} {
		m, err := decodeMetadata(raw)
		if err != nil {
			return in, err
		}
		ms[i] = m
	}
	var rs [3]*srapi.RuleSet
	for i, raw := range []json.RawMessage{cfg.DefaultRuleSet, specificR, cfg.OverrideRuleSet} {
		r, err := decodeRuleSet(raw)
		if err != nil {
			return in, err
		}
		rs[i] = r
	}
	in.Metadata = encodeContract(mergeMetadata(mergeMetadata(ms[0], ms[1]), ms[2]), metadataEmpty)
	in.RuleSet = encodeContract(mergeRuleSets(mergeRuleSets(rs[0], rs[1]), rs[2]), ruleSetEmpty)
	return in, nil
}

// property returns a metadata property of stored metadata, and whether it
// is set.
func property(raw json.RawMessage, name string) (string, bool) {
	m, err := decodeMetadata(raw)
	if err != nil || m == nil {
		return "", false
	}
	v, ok := m.Properties[name]
	return v, ok
}

// inGroup keeps the versions whose metadata property group has the value
// the new schema's has (both unset counts as equal), as Confluent's
// compatibilityGroup does.
func inGroup(live []SubjectVersion, group string, metadata json.RawMessage) []SubjectVersion {
	want, wantSet := property(metadata, group)
	var out []SubjectVersion
	for _, v := range live {
		var got string
		var gotSet bool
		if v.Schema != nil {
			got, gotSet = property(v.Schema.Metadata, group)
		}
		if got == want && gotSet == wantSet {
			out = append(out, v)
		}
	}
	return out
}

// reservedFields lists the field names of the confluent:reserved property.
func reservedFields(raw json.RawMessage) []string {
	v, _ := property(raw, srapi.ReservedProperty)
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return sortedSet(out)
}

// Rule IDs of the reserved-field checks (validateFields).
const (
	ruleReservedFieldRemoved   = "RESERVED_FIELD_REMOVED"
	ruleReservedFieldConflicts = "FIELD_CONFLICTS_WITH_RESERVED_FIELD"
)

// reservedFindings checks, under validateFields, that no reserved field
// of the previous version left the reserved list and that the new schema
// has no top-level field of a reserved name, with Confluent's messages.
func reservedFindings(sch schema.Schema, metadata json.RawMessage, previous *SubjectVersion) []compat.Finding {
	var out []compat.Finding
	reserved := reservedFields(metadata)
	if previous != nil && previous.Schema != nil {
		for _, f := range reservedFields(previous.Schema.Metadata) {
			if !slices.Contains(reserved, f) {
				out = append(out, compat.Finding{
					RuleID: ruleReservedFieldRemoved, Severity: compat.Error, Path: f,
					Version: previous.Version, Direction: compat.DirPolicy,
					Message: fmt.Sprintf("The new schema has reserved field %s removed from its metadata which is present in the old schema's metadata.", f),
				})
			}
		}
	}
	fields := topLevelFields(sch)
	for _, f := range reserved {
		if fields[f] {
			out = append(out, compat.Finding{
				RuleID: ruleReservedFieldConflicts, Severity: compat.Error, Path: f, Direction: compat.DirPolicy,
				Message: fmt.Sprintf("The new schema has field that conflicts with the reserved field %s.", f),
			})
		}
	}
	return out
}

// topLevelFields returns the field names of a schema's top-level record
// (Avro), first message (Protobuf) or top-level properties (JSON Schema).
func topLevelFields(sch schema.Schema) map[string]bool {
	out := map[string]bool{}
	switch s := sch.(type) {
	case *avro.Schema:
		var doc struct {
			Fields []struct {
				Name string `json:"name"`
			} `json:"fields"`
		}
		if json.Unmarshal([]byte(s.Text()), &doc) == nil {
			for _, f := range doc.Fields {
				out[f.Name] = true
			}
		}
	case *protobuf.Schema:
		if msgs := s.File().Messages(); msgs.Len() > 0 {
			fs := msgs.Get(0).Fields()
			for i := range fs.Len() {
				out[string(fs.Get(i).Name())] = true
			}
		}
	default:
		var doc struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if json.Unmarshal([]byte(sch.Text()), &doc) == nil {
			for name := range doc.Properties {
				out[name] = true
			}
		}
	}
	return out
}

// ResolveAlias returns the subject that subject is an alias of, or
// subject itself. Resolution is one step, as Confluent's: an alias of an
// alias is not followed. The caller needs perm on the target too: the
// route's authorization saw only the alias, and an alias must not open
// another team's subject to whoever may use the alias.
func (s *Service) ResolveAlias(ctx context.Context, subject string, perm Permission) (string, error) {
	if subject == GlobalSubject {
		return subject, nil
	}
	c, err := s.cachedConfig(ctx, s.store, subject)
	if err != nil {
		return "", err
	}
	if c != nil && c.Alias != nil && *c.Alias != "" && *c.Alias != subject {
		if err := requireOn(ctx, perm, *c.Alias); err != nil {
			return "", err
		}
		return *c.Alias, nil
	}
	return subject, nil
}

// maxAliasChain bounds the walk that looks for an alias cycle.
const maxAliasChain = 64

// checkAlias refuses an alias on the global config, an alias of a subject
// to itself, and one that closes a cycle of aliases.
func checkAlias(ctx context.Context, ex Executor, subject, alias string) error {
	if subject == GlobalSubject {
		return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid alias: an alias can be set on a subject's config only, not on the global config")
	}
	if err := ValidateSubject(alias); err != nil {
		return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid alias %q: not a valid subject name", alias)
	}
	next := alias
	for range maxAliasChain {
		if next == subject {
			if alias == subject {
				return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid alias: subject %s cannot be an alias of itself", subject)
			}
			return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid alias: %s -> %s would close a cycle of aliases", subject, alias)
		}
		c, err := storedConfig(ctx, ex, next)
		if err != nil {
			return err
		}
		if c == nil || c.Alias == nil || *c.Alias == "" {
			return nil
		}
		next = *c.Alias
	}
	return Errorf(srapi.CodeInvalidCompatibilityLevel, "Invalid alias: the chain of aliases from %s is longer than %d", alias, maxAliasChain)
}

// LatestWithMetadata returns the latest version of subject whose metadata
// holds every one of props (GET /subjects/{subject}/metadata):
// srapi.CodeSubjectNotFound when the subject has no versions,
// srapi.CodeSchemaNotFound when none matches.
func (s *Service) LatestWithMetadata(ctx context.Context, subject string, props map[string]string, includeDeleted bool) (*SubjectVersion, error) {
	vs, err := s.store.VersionList(ctx, subject, includeDeleted)
	if err != nil {
		return nil, storeError(err)
	}
	if len(vs) == 0 {
		return nil, subjectNotFound(subject)
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Schema == nil {
			continue
		}
		m, err := decodeMetadata(vs[i].Schema.Metadata)
		if err != nil || m == nil {
			continue
		}
		matches := true
		for k, v := range props {
			if got, ok := m.Properties[k]; !ok || got != v {
				matches = false
				break
			}
		}
		if matches {
			return &vs[i], nil
		}
	}
	return nil, Errorf(srapi.CodeSchemaNotFound, "Schema not found")
}
