package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// parsedSchema parses a stored schema, once per id.
func (s *Service) parsedSchema(ctx context.Context, ex Executor, sch *Schema) (schema.Schema, error) {
	if p, ok := s.parsedByID.GetIfPresent(sch.Key()); ok {
		return p, nil
	}
	deps, err := s.resolveReferences(ctx, ex, sch.Context, sch.References, map[string]bool{})
	if err != nil {
		return nil, err
	}
	p, err := s.parseTextLenient(ctx, sch.Format, sch.Text, deps)
	if errors.Is(err, ErrInvalidSchema) {
		// A stored schema that no longer parses (or, after limits were
		// lowered, no longer fits them) is a server-side problem, not the
		// client's.
		s.log.ErrorContext(ctx, "stored schema does not parse", "id", sch.ID, "error", err)
		return nil, &Error{Code: srapi.CodeStoreError, Message: srapi.StoreErrorMessage, Err: err}
	}
	if err != nil {
		return nil, err
	}
	s.parsedByID.Set(sch.Key(), p)
	return p, nil
}

// checkHistory checks in against subject's live versions under the
// subject's config. version selects one version to check against
// (LatestVersion or a number); 0 means every version the level requires.
func (s *Service) checkHistory(ctx context.Context, ex Executor, subject string, in *parsed, version int) (compat.Result, error) {
	cfg, err := s.effectiveConfig(ctx, ex, subject)
	if err != nil {
		return compat.Result{}, err
	}
	var live []SubjectVersion
	group := cfg.CompatibilityGroup != nil && *cfg.CompatibilityGroup != ""
	switch {
	case version == 0 && (cfg.Compatibility.Transitive() || *cfg.AdditiveOnly || group):
		live, err = ex.VersionList(ctx, subject, false)
		if err != nil {
			return compat.Result{}, storeError(err)
		}
		if group {
			// Only versions in the new schema's compatibility group
			// count, the latest of them for a non-transitive level.
			live = inGroup(live, *cfg.CompatibilityGroup, in.metadata)
			if !cfg.Compatibility.Transitive() && !*cfg.AdditiveOnly && len(live) > 1 {
				live = live[len(live)-1:]
			}
		}
	case version == 0 || version == LatestVersion:
		// Only the latest version matters to the level and to consumers.
		// A subject without live versions accepts anything, even when
		// asked about "latest": CI asks before the first registration.
		v, err := ex.VersionLatest(ctx, subject, false)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return compat.Result{}, storeError(err)
		}
		if v != nil {
			live = []SubjectVersion{*v}
		}
	default:
		v, err := s.version(ctx, ex, subject, version, false)
		if err != nil {
			return compat.Result{}, err
		}
		live = []SubjectVersion{*v}
	}
	history := make([]compat.Version, 0, len(live))
	for _, v := range live {
		// Parsed versions come from a cache without looking at ctx.
		if err := ctx.Err(); err != nil {
			return compat.Result{}, storeError(err)
		}
		// The check judges the version with its references resolved,
		// so its findings may describe what they hold: the caller must
		// be allowed to read them, as when it reads the version resolved.
		if err := s.graphReadable(ctx, v.Schema.Context, v.Schema.References, fmt.Sprintf("%s version %d", v.Subject, v.Version)); err != nil {
			return compat.Result{}, err
		}
		p, err := s.parsedSchema(ctx, ex, v.Schema)
		if err != nil {
			return compat.Result{}, err
		}
		history = append(history, compat.Version{Version: v.Version, Schema: p, RegisteredAt: v.CreatedAt})
	}
	policy := compat.Policy{
		AdditiveOnly:         *cfg.AdditiveOnly,
		Now:                  s.opts.Now(),
		MinDeprecationPeriod: *cfg.MinDeprecationPeriod,
	}
	// Registered consumers and recorded deprecations (consumer_check.go).
	consumers, err := s.subjectConsumers(ctx, ex, subject)
	if err != nil {
		return compat.Result{}, err
	}
	var latest schema.Schema
	if len(history) > 0 {
		latest = history[len(history)-1].Schema
	}
	consumers.configure(&policy, latest, *cfg.ConsumerBreakage)
	res, err := s.check(ctx, compat.Request{
		Level:   *cfg.Compatibility,
		Policy:  policy,
		New:     in.schema,
		History: history,
	})
	if err != nil {
		return compat.Result{}, err
	}
	fs, err := consumers.findings(ctx, in.schema, latest, *cfg.ConsumerBreakage)
	if err != nil {
		return compat.Result{}, err
	}
	res.Findings = append(res.Findings, fs...)
	if cfg.ValidateFields != nil && *cfg.ValidateFields {
		previous, err := ex.VersionLatest(ctx, subject, false)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return compat.Result{}, storeError(err)
		}
		res.Findings = append(res.Findings, reservedFindings(in.schema, in.metadata, previous)...)
	}
	res.Truncate(compat.MaxFindings)
	return res, nil
}

// CompatibilityParams are the inputs of CheckCompatibility.
type CompatibilityParams struct {
	Subject string
	Schema  SchemaInput
	// Version is the version to check against, LatestVersion, or 0 for
	// "every version the subject's level requires".
	Version int
}

// CheckCompatibility checks a schema against a subject without
// registering it, applying the subject's level and policy exactly as
// Register does. With Version 0 a subject with no versions is compatible;
// with a given version it must exist.
func (s *Service) CheckCompatibility(ctx context.Context, p CompatibilityParams) (compat.Result, error) {
	var err error
	if p.Schema, err = s.contractInput(ctx, p.Subject, p.Schema); err != nil {
		return compat.Result{}, err
	}
	p.Schema.Context = ContextOf(p.Subject)
	in, err := s.parseInput(ctx, p.Schema)
	if err != nil {
		return compat.Result{}, err
	}
	return s.checkHistory(ctx, s.store, p.Subject, in, p.Version)
}

// contractInput prepares the input of a lookup or a check: its contract
// validated and canonical (an empty part is absent), and normalize
// defaulting to the subject's config.
func (s *Service) contractInput(ctx context.Context, subject string, in SchemaInput) (SchemaInput, error) {
	m, r, err := canonicalContract(in.Metadata, in.RuleSet)
	if err != nil {
		return in, err
	}
	in.Metadata, in.RuleSet = storedContract(m), storedContract(r)
	if !in.Normalize {
		cfg, err := s.effectiveConfig(ctx, s.store, subject)
		if err != nil {
			return in, err
		}
		in.Normalize = *cfg.Normalize
	}
	return in, nil
}

// LookupParams are the inputs of Lookup.
type LookupParams struct {
	Subject string
	Schema  SchemaInput
	// IncludeDeleted also matches soft-deleted versions.
	IncludeDeleted bool
}

// Lookup finds the version of subject that holds the given schema:
// srapi.CodeSubjectNotFound when the subject has no versions, srapi.CodeSchemaNotFound
// when none holds the schema.
func (s *Service) Lookup(ctx context.Context, p LookupParams) (*SubjectVersion, error) {
	var err error
	if _, err := s.store.VersionLatest(ctx, p.Subject, true); errors.Is(err, ErrNotFound) {
		return nil, subjectNotFound(p.Subject)
	} else if err != nil {
		return nil, storeError(err)
	}
	if p.Schema, err = s.contractInput(ctx, p.Subject, p.Schema); err != nil {
		return nil, err
	}
	p.Schema.Context = ContextOf(p.Subject)
	// Lenient, so that a schema IMPORT copied as it was is found.
	in, err := s.parseInputLenient(ctx, p.Schema)
	if err != nil {
		return nil, err
	}
	v, err := s.findVersion(ctx, s.store, p.Subject, in, p.Schema.Normalize, p.IncludeDeleted)
	if err != nil {
		return nil, err
	}
	// A lookup without a contract matches the schema whatever contract
	// the version carries (Confluent matches on the text alone then).
	if v == nil && p.Schema.Metadata == nil && p.Schema.RuleSet == nil {
		vs, err := s.store.VersionList(ctx, p.Subject, p.IncludeDeleted)
		if err != nil {
			return nil, storeError(err)
		}
		if v, err = s.findVersionAnyContract(ctx, s.store, vs, in, p.Schema); err != nil {
			return nil, err
		}
	}
	if v == nil && in.strictErr != nil {
		return nil, in.strictErr
	}
	if v == nil {
		return nil, Errorf(srapi.CodeSchemaNotFound, "Schema not found")
	}
	return v, nil
}
