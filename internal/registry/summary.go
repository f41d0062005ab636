package registry

import (
	"context"
	"errors"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// SubjectSummary is a cheap overview of one subject, for listings such as
// the web UI's subject list: what a reader needs to pick a subject without
// loading its history.
type SubjectSummary struct {
	Subject string
	// Format, LatestVersion, LatestID and UpdatedAt describe the latest
	// live version.
	Format        schema.Format
	LatestVersion int
	LatestID      int
	UpdatedAt     time.Time
	// Compatibility and AdditiveOnly are the subject's effective config.
	Compatibility compat.Level
	AdditiveOnly  bool
	// Deprecations counts the deprecated elements of the latest version
	// (schema markers and recorded deprecations, each element once) plus
	// recorded deprecations of versions or of the whole subject.
	Deprecations int
	// Deprecated is set when the whole subject is deprecated by record.
	Deprecated bool
	// Consumers counts the registered consumers reading the subject.
	Consumers int
}

// SubjectSummaryParams select a page of SubjectSummaries.
type SubjectSummaryParams struct {
	Prefix string
	Offset int
	// Limit bounds the page; 0 or negative means no limit.
	Limit int
}

// SubjectSummaries summarises a page of subjects (those with a live
// version), ordered by name. Its cost grows with the page, not with the
// registry: a few queries per subject on the page, each latest schema
// parsed once and then served from the parse cache, and one listing of
// consumers.
func (s *Service) SubjectSummaries(ctx context.Context, p SubjectSummaryParams) ([]SubjectSummary, error) {
	names, err := pageReadable(ctx, p.Offset, p.Limit, subjectName, func(offset, limit int) ([]string, error) {
		return s.store.SubjectList(ctx, SubjectListParams{Prefix: p.Prefix, Offset: offset, Limit: limit})
	})
	if err != nil {
		return nil, storeError(err)
	}
	if len(names) == 0 {
		return []SubjectSummary{}, nil
	}
	base, err := s.effectiveConfig(ctx, s.store, GlobalSubject)
	if err != nil {
		return nil, err
	}
	readers := map[string]int{}
	cs := s.consumers.store
	if cs != nil {
		consumers, err := cs.ConsumerList(ctx, ConsumerListParams{})
		if err != nil {
			return nil, storeError(err)
		}
		for _, c := range consumers {
			for _, r := range c.Reads {
				readers[r.Subject]++
			}
		}
	}
	out := make([]SubjectSummary, 0, len(names))
	for _, name := range names {
		sum, err := s.summarise(ctx, cs, name, base)
		if errors.Is(err, errNoLiveVersion) {
			continue // deleted between the listing and now
		}
		if err != nil {
			return nil, err
		}
		sum.Consumers = readers[name]
		out = append(out, *sum)
	}
	return out, nil
}

var errNoLiveVersion = errors.New("registry: subject has no live version")

func (s *Service) summarise(ctx context.Context, cs ConsumerStore, subject string, base Config) (*SubjectSummary, error) {
	latest, err := s.store.VersionLatest(ctx, subject, false)
	if errors.Is(err, ErrNotFound) {
		return nil, errNoLiveVersion
	}
	if err != nil {
		return nil, storeError(err)
	}
	cfg := base
	own, err := storedConfig(ctx, s.store, subject)
	if err != nil {
		return nil, err
	}
	if own != nil {
		cfg = mergeConfig(cfg, *own)
	}
	sum := &SubjectSummary{
		Subject: subject, Format: latest.Schema.Format, LatestVersion: latest.Version,
		LatestID: latest.SchemaID, UpdatedAt: latest.CreatedAt,
		Compatibility: *cfg.Compatibility, AdditiveOnly: *cfg.AdditiveOnly,
	}
	parsed, err := s.parsedSchema(ctx, s.store, latest.Schema)
	if err != nil {
		return nil, err
	}
	paths := map[string]bool{}
	for _, d := range parsed.Deprecations() {
		paths[d.Path] = true
	}
	if cs != nil {
		recs, err := cs.DeprecationList(ctx, DeprecationListParams{Subject: subject})
		if err != nil {
			return nil, storeError(err)
		}
		for _, r := range recs {
			switch r.Scope() {
			case "field":
				if compat.HasPath(parsed, r.Path) {
					paths[r.Path] = true
				}
			case "subject":
				sum.Deprecated = true
				sum.Deprecations++
			default:
				sum.Deprecations++
			}
		}
	}
	sum.Deprecations += len(paths)
	return sum, nil
}

// VersionHistory returns every version of a subject, soft-deleted ones
// included, oldest first, each with its schema: the subject's timeline.
// A subject with no versions at all is srapi.CodeSubjectNotFound.
func (s *Service) VersionHistory(ctx context.Context, subject string) ([]SubjectVersion, error) {
	vs, err := s.store.VersionList(ctx, subject, true)
	if err != nil {
		return nil, storeError(err)
	}
	if len(vs) == 0 {
		return nil, subjectNotFound(subject)
	}
	return vs, nil
}

// CompareParams are the inputs of CompareVersions.
type CompareParams struct {
	Subject string
	// Old and New are version numbers (soft-deleted versions allowed);
	// LatestVersion names the latest live version.
	Old, New int
}

// VersionComparison is what changed between two versions of a subject
// and what the checker says of the change.
type VersionComparison struct {
	Old, New *SubjectVersion
	// Level and AdditiveOnly are the subject's effective config, under
	// which Result was computed.
	Level        compat.Level
	AdditiveOnly bool
	// Changes is the structured diff from Old to New.
	Changes []compat.Change
	// Result is New checked against Old alone, as if Old were the only
	// earlier version, with the subject's level, policy, recorded
	// deprecations and registered consumers.
	Result compat.Result
}

// CompareVersions diffs two versions of a subject and checks the newer
// against the older under the subject's config. Versions of different
// formats have no structured diff: Changes is then empty and Result
// reports the format change.
func (s *Service) CompareVersions(ctx context.Context, p CompareParams) (*VersionComparison, error) {
	oldV, err := s.version(ctx, s.store, p.Subject, p.Old, true)
	if err != nil {
		return nil, err
	}
	newV, err := s.version(ctx, s.store, p.Subject, p.New, true)
	if err != nil {
		return nil, err
	}
	oldP, err := s.parsedSchema(ctx, s.store, oldV.Schema)
	if err != nil {
		return nil, err
	}
	newP, err := s.parsedSchema(ctx, s.store, newV.Schema)
	if err != nil {
		return nil, err
	}
	cfg, err := s.effectiveConfig(ctx, s.store, p.Subject)
	if err != nil {
		return nil, err
	}
	out := &VersionComparison{Old: oldV, New: newV, Level: *cfg.Compatibility, AdditiveOnly: *cfg.AdditiveOnly}
	if oldP.Format() == newP.Format() {
		if out.Changes, err = compat.DiffContext(ctx, oldP, newP); err != nil {
			return nil, storeError(err)
		}
	}
	policy := compat.Policy{
		AdditiveOnly:         *cfg.AdditiveOnly,
		Now:                  s.opts.Now(),
		MinDeprecationPeriod: *cfg.MinDeprecationPeriod,
	}
	consumers, err := s.subjectConsumers(ctx, s.store, p.Subject)
	if err != nil {
		return nil, err
	}
	// Consumers' field paths resolve in the older schema: it is the one
	// that still holds whatever the newer one removed.
	consumers.configure(&policy, oldP, *cfg.ConsumerBreakage)
	if out.Result, err = s.check(ctx, compat.Request{
		Level:   *cfg.Compatibility,
		Policy:  policy,
		New:     newP,
		History: []compat.Version{{Version: oldV.Version, Schema: oldP, RegisteredAt: oldV.CreatedAt}},
	}); err != nil {
		return nil, err
	}
	fs, err := consumers.findings(ctx, newP, oldP, *cfg.ConsumerBreakage)
	if err != nil {
		return nil, err
	}
	out.Result.Findings = append(out.Result.Findings, fs...)
	out.Result.Truncate(compat.MaxFindings)
	return out, nil
}
