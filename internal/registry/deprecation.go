package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// DeprecationRecord is a deprecation recorded through the API rather than
// marked in schema text: of a field (Path), of one version (Version), or,
// with neither, of a whole subject.
type DeprecationRecord struct {
	ID      int
	Subject string
	// Path is the schema path of the deprecated element; "" deprecates a
	// version or the whole subject.
	Path string
	// Version is the deprecated version; 0 when not version-specific.
	Version     int
	Reason      string
	Sunset      time.Time // zero: no sunset date
	Replacement string
	// CreatedAt is when the deprecation first appeared: its "since".
	CreatedAt time.Time
}

// Scope names what r deprecates: "field", "version" or "subject".
func (r *DeprecationRecord) Scope() string {
	switch {
	case r.Path != "":
		return "field"
	case r.Version != 0:
		return "version"
	}
	return "subject"
}

// recorded converts r for compat.Policy.Deprecations.
func (r *DeprecationRecord) recorded(kind string) compat.RecordedDeprecation {
	d := compat.RecordedDeprecation{Since: r.CreatedAt}
	d.Path, d.Kind, d.Reason, d.Sunset, d.Replacement = r.Path, kind, r.Reason, r.Sunset, r.Replacement
	return d
}

func deprecationNotFound(id int) error {
	return Errorf(srapi.CodeDeprecationNotFound, "Deprecation %d not found.", id)
}

// DeprecateResult says what Deprecate or UpdateDeprecation did.
type DeprecateResult struct {
	Record *DeprecationRecord
	// Created is set when the element had no record yet.
	Created bool
	// PreviousSunset is the element's sunset before the write: its
	// record's, else its schema marker's in the latest version; zero when
	// it had none.
	PreviousSunset time.Time
	// Forced is set when the write needed DeprecateOptions.Force.
	Forced bool
}

// DeprecateOptions adjust Deprecate and UpdateDeprecation.
type DeprecateOptions struct {
	// Force accepts a sunset that is not in the future, or that is earlier
	// than the element's current one (its record's or its marker's): both
	// can make a removal legal at once, so neither happens by mistake.
	Force bool
}

// Deprecate records a deprecation. The subject must have a live version;
// a field path must exist in its latest live version (it is stored in the
// canonical notation, see compat.ResolvePath); a version must exist. A
// replacement is checked the same way, in the same subject, or in another
// one when written SUBJECT:PATH (SUBJECT: alone names a whole subject).
// Deprecating an element already recorded updates its reason, sunset and
// replacement and keeps its original date, so repeating the call is safe.
// A sunset that is not in the future, or earlier than the current one,
// needs o.Force.
func (s *Service) Deprecate(ctx context.Context, d DeprecationRecord, o DeprecateOptions) (DeprecateResult, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return DeprecateResult{}, err
	}
	if err := ValidateSubject(d.Subject); err != nil {
		return DeprecateResult{}, err
	}
	// A deprecation starts the countdown to a removal: a write to its
	// subject.
	if err := requireOn(ctx, PermWrite, d.Subject); err != nil {
		return DeprecateResult{}, err
	}
	marker, err := s.validateDeprecation(ctx, &d)
	if err != nil {
		return DeprecateResult{}, err
	}
	// Two attempts: a concurrent Deprecate of the same element may insert
	// between our lookup and our insert; the second attempt updates it.
	for attempt := 0; ; attempt++ {
		existing, err := cs.DeprecationList(ctx, DeprecationListParams{Subject: d.Subject})
		if err != nil {
			return DeprecateResult{}, storeError(err)
		}
		for _, e := range existing {
			if e.Path == d.Path && e.Version == d.Version {
				return s.updateDeprecation(ctx, e, d, marker, o)
			}
		}
		forced, err := s.checkSunset(ctx, &d, marker, o)
		if err != nil {
			return DeprecateResult{}, err
		}
		d.CreatedAt = s.opts.Now().UTC()
		var rec *DeprecationRecord
		err = s.consumerTx(ctx, "", Change{Subject: d.Subject, Kind: ChangeDeprecations}, func(ctx context.Context, cs ConsumerStore) (bool, error) {
			var err error
			rec, err = cs.DeprecationInsert(ctx, d)
			return err == nil, err
		})
		if errors.Is(err, ErrConflict) && attempt == 0 {
			continue
		}
		if err != nil {
			return DeprecateResult{}, storeError(err)
		}
		s.log.InfoContext(ctx, "deprecation recorded", "subject", d.Subject, "path", d.Path, "version", d.Version, "id", rec.ID)
		return DeprecateResult{Record: rec, Created: true, PreviousSunset: marker, Forced: forced}, nil
	}
}

// UpdateDeprecation changes the reason, sunset and replacement of the
// record with d.ID; its subject, path, version and date stay. The checks
// are Deprecate's.
func (s *Service) UpdateDeprecation(ctx context.Context, d DeprecationRecord, o DeprecateOptions) (DeprecateResult, error) {
	cur, err := s.DeprecationRecordByID(ctx, d.ID)
	if err != nil {
		return DeprecateResult{}, err
	}
	// The record keeps its subject, whatever the body says: only the
	// stored one is written.
	if err := requireOn(ctx, PermWrite, cur.Subject); err != nil {
		return DeprecateResult{}, err
	}
	next := *cur
	next.Reason, next.Sunset, next.Replacement = d.Reason, d.Sunset, d.Replacement
	marker, err := s.validateDeprecation(ctx, &next)
	if err != nil {
		return DeprecateResult{}, err
	}
	return s.updateDeprecation(ctx, *cur, next, marker, o)
}

func (s *Service) updateDeprecation(ctx context.Context, cur, d DeprecationRecord, marker time.Time, o DeprecateOptions) (DeprecateResult, error) {
	prev := cur.Sunset
	if prev.IsZero() {
		prev = marker
	}
	res := DeprecateResult{Record: &cur, PreviousSunset: prev}
	next := cur
	next.Reason, next.Sunset, next.Replacement = d.Reason, d.Sunset, d.Replacement
	if next.Reason == cur.Reason && next.Sunset.Equal(cur.Sunset) && next.Replacement == cur.Replacement {
		return res, nil
	}
	forced, err := s.checkSunset(ctx, &next, prev, o)
	if err != nil {
		return DeprecateResult{}, err
	}
	if err := s.writeRecord(ctx, cur, func(ctx context.Context, cs ConsumerStore) error {
		return cs.DeprecationUpdate(ctx, next)
	}); err != nil {
		return DeprecateResult{}, err
	}
	res.Record, res.Forced = &next, forced
	return res, nil
}

// writeRecord runs write on record cur in one transaction with the check
// that the caller may write its subject, re-reading the record there: the
// record checked is the record written, whatever happens concurrently.
// A record gone or replaced meanwhile is srapi.CodeDeprecationNotFound.
func (s *Service) writeRecord(ctx context.Context, cur DeprecationRecord, write func(ctx context.Context, cs ConsumerStore) error) error {
	change := Change{Subject: cur.Subject, Kind: ChangeDeprecations}
	err := s.consumerTx(ctx, deprecationLock(cur.ID), change, func(ctx context.Context, cs ConsumerStore) (bool, error) {
		got, err := cs.DeprecationGet(ctx, cur.ID)
		if errors.Is(err, ErrNotFound) || err == nil && (got.Subject != cur.Subject || got.Path != cur.Path || got.Version != cur.Version) {
			return false, deprecationNotFound(cur.ID)
		}
		if err != nil {
			return false, err
		}
		if err := requireOn(ctx, PermWrite, got.Subject); err != nil {
			return false, err
		}
		if err := write(ctx, cs); errors.Is(err, ErrNotFound) {
			return false, deprecationNotFound(cur.ID)
		} else if err != nil {
			return false, err
		}
		return true, nil
	})
	return storeError(err)
}

// checkSunset refuses, unless o.Force, a sunset of d that is not in the
// future or is earlier than prev (the element's current sunset). It
// reports whether the write was forced.
func (s *Service) checkSunset(ctx context.Context, d *DeprecationRecord, prev time.Time, o DeprecateOptions) (bool, error) {
	if d.Sunset.IsZero() {
		return false, nil
	}
	var why string
	switch {
	case !s.opts.Now().Before(d.Sunset):
		why = fmt.Sprintf("Sunset %s is not in the future", formatDate(d.Sunset))
	case !prev.IsZero() && d.Sunset.Before(prev):
		why = fmt.Sprintf("Sunset %s is earlier than the current sunset %s", formatDate(d.Sunset), formatDate(prev))
	default:
		return false, nil
	}
	if !o.Force {
		return false, Errorf(srapi.CodeInvalidDeprecation, "%s of %s: it may make removing it legal at once; repeat with force=true to accept that", why, describeElement(d))
	}
	s.log.WarnContext(ctx, "deprecation sunset forced", "subject", d.Subject, "path", d.Path, "version", d.Version,
		"old_sunset", formatDate(prev), "new_sunset", formatDate(d.Sunset))
	return true, nil
}

// formatDate renders t as a date, or "none".
func formatDate(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.DateOnly)
}

// describeElement names what d deprecates: "subject orders Order.note".
func describeElement(d *DeprecationRecord) string {
	switch {
	case d.Path != "":
		return fmt.Sprintf("subject %s %s", d.Subject, d.Path)
	case d.Version != 0:
		return fmt.Sprintf("subject %s version %d", d.Subject, d.Version)
	}
	return "subject " + d.Subject
}

// validateDeprecation checks d and canonicalises its path and replacement.
// It returns the sunset of the element's schema marker in the latest
// version, if any.
func (s *Service) validateDeprecation(ctx context.Context, d *DeprecationRecord) (time.Time, error) {
	d.Path = strings.TrimSpace(d.Path)
	if err := ValidateSubject(d.Subject); err != nil {
		return time.Time{}, err
	}
	for _, t := range []string{d.Path, d.Reason, d.Replacement} {
		if !srapi.Encodable(t) {
			return time.Time{}, Errorf(srapi.CodeInvalidDeprecation, "A deprecation's path, reason and replacement must be UTF-8 without NUL bytes")
		}
	}
	if d.Path != "" && d.Version != 0 {
		return time.Time{}, Errorf(srapi.CodeInvalidDeprecation, "A deprecation names a field path or a version, not both")
	}
	if d.Version < 0 {
		return time.Time{}, invalidVersion(d.Version)
	}
	if d.Version != 0 {
		if _, err := s.version(ctx, s.store, d.Subject, d.Version, false); err != nil {
			return time.Time{}, err
		}
	} else if _, err := s.version(ctx, s.store, d.Subject, LatestVersion, false); err != nil {
		return time.Time{}, err
	}
	var marker time.Time
	if d.Path != "" {
		p, latest, err := s.latestParsed(ctx, d.Subject)
		if err != nil {
			return time.Time{}, err
		}
		path := compat.ResolvePath(p, "", d.Path)
		if !compat.HasPath(p, path) {
			return time.Time{}, Errorf(srapi.CodeInvalidDeprecation, "Subject %s has no element %s in its latest version %d", d.Subject, d.Path, latest)
		}
		d.Path = path
		for _, m := range p.Deprecations() {
			if m.Path == path {
				marker = m.Sunset
			}
		}
	}
	repl, err := s.resolveReplacement(ctx, d.Subject, d.Replacement)
	if err != nil {
		return time.Time{}, err
	}
	d.Replacement = repl
	return marker, nil
}

// latestParsed returns the parsed schema of subject's latest live version
// and its number.
func (s *Service) latestParsed(ctx context.Context, subject string) (schema.Schema, int, error) {
	latest, err := s.version(ctx, s.store, subject, LatestVersion, false)
	if err != nil {
		return nil, 0, err
	}
	p, err := s.parsedSchema(ctx, s.store, latest.Schema)
	if err != nil {
		return nil, 0, err
	}
	return p, latest.Version, nil
}

// resolveReplacement checks a replacement as a deprecation's path is
// checked: an element of subject's latest version, or, written
// SUBJECT:PATH, of another subject's (SUBJECT: alone: that whole
// subject). It returns the canonical form.
func (s *Service) resolveReplacement(ctx context.Context, subject, repl string) (string, error) {
	repl = strings.TrimSpace(repl)
	if repl == "" {
		return "", nil
	}
	target, path := subject, repl
	// Paths never contain a colon; subjects may (contexts), so the last
	// one separates them.
	if i := strings.LastIndexByte(repl, ':'); i >= 0 {
		target, path = repl[:i], strings.TrimSpace(repl[i+1:])
		if err := ValidateSubject(target); err != nil {
			return "", Errorf(srapi.CodeInvalidDeprecation, "Replacement %s: invalid subject %q", repl, target)
		}
	}
	p, latest, err := s.latestParsed(ctx, target)
	var e *Error
	if errors.As(err, &e) && e.Code == srapi.CodeSubjectNotFound {
		return "", Errorf(srapi.CodeInvalidDeprecation, "Replacement %s: subject %s has no live version", repl, target)
	}
	if err != nil {
		return "", err
	}
	if path == "" {
		return target + ":", nil
	}
	canon := compat.ResolvePath(p, "", path)
	if !compat.HasPath(p, canon) {
		return "", Errorf(srapi.CodeInvalidDeprecation, "Replacement %s: subject %s has no element %s in its latest version %d", repl, target, path, latest)
	}
	if target != subject {
		return target + ":" + canon, nil
	}
	return canon, nil
}

// DeprecationRecordByID returns one record; a record of a subject the
// caller may not read is answered as absent.
func (s *Service) DeprecationRecordByID(ctx context.Context, id int) (*DeprecationRecord, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return nil, err
	}
	d, err := cs.DeprecationGet(ctx, id)
	if errors.Is(err, ErrNotFound) || err == nil && !allowed(ctx, PermRead, d.Subject) {
		return nil, deprecationNotFound(id)
	}
	return d, storeError(err)
}

func recordSubject(d *DeprecationRecord) string { return d.Subject }

// DeprecationRecords lists records of the subjects the caller may read,
// ordered by subject, path, version.
func (s *Service) DeprecationRecords(ctx context.Context, p DeprecationListParams) ([]DeprecationRecord, error) {
	cs, err := s.consumerStore()
	if err != nil {
		return nil, err
	}
	return pageReadable(ctx, p.Offset, p.Limit, recordSubject, func(offset, limit int) ([]DeprecationRecord, error) {
		q := p
		q.Offset, q.Limit = offset, limit
		out, err := cs.DeprecationList(ctx, q)
		if err != nil {
			return nil, storeError(err)
		}
		return out, nil
	})
}

// DeleteDeprecation removes a record (the element is no longer deprecated
// by it; markers in schema text are unaffected) and returns what it was.
func (s *Service) DeleteDeprecation(ctx context.Context, id int) (*DeprecationRecord, error) {
	cur, err := s.DeprecationRecordByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.writeRecord(ctx, *cur, func(ctx context.Context, cs ConsumerStore) error {
		return cs.DeprecationDelete(ctx, id)
	}); err != nil {
		return nil, err
	}
	return cur, nil
}

// deprecationIndex is an in-memory view of the records that deprecate
// whole subjects or versions, for the lookup path's response headers.
type deprecationIndex struct {
	subjects map[string]*DeprecationRecord
	versions map[string]map[int]*DeprecationRecord
	// ids maps each schema (context, id) used by a deprecated subject or
	// version to the record (the earliest-dated when several apply).
	ids map[SchemaKey]*DeprecationRecord
}

// empty reports whether nothing is deprecated.
func (x *deprecationIndex) empty() bool { return len(x.subjects) == 0 && len(x.versions) == 0 }

// deprecationIndex returns the current index, loading it when a change
// invalidated it. Loading costs one query per deprecated subject or
// version; between changes the lookup path reads memory only.
func (s *Service) deprecationIndex(ctx context.Context) (*deprecationIndex, error) {
	st := s.consumers
	if x := st.deprecated.Load(); x != nil {
		return x, nil
	}
	st.loadMu.Lock()
	defer st.loadMu.Unlock()
	if x := st.deprecated.Load(); x != nil {
		return x, nil
	}
	gen := st.gen.Load()
	x := &deprecationIndex{
		subjects: map[string]*DeprecationRecord{},
		versions: map[string]map[int]*DeprecationRecord{},
		ids:      map[SchemaKey]*DeprecationRecord{},
	}
	recs, err := st.store.DeprecationList(ctx, DeprecationListParams{})
	if err != nil {
		return nil, storeError(err)
	}
	for i := range recs {
		if err := s.indexRecord(ctx, x, &recs[i]); err != nil {
			return nil, err
		}
	}
	if st.gen.Load() == gen {
		st.deprecated.Store(x)
	}
	return x, nil
}

func (s *Service) indexRecord(ctx context.Context, x *deprecationIndex, r *DeprecationRecord) error {
	if r.Path != "" {
		return nil
	}
	if r.Version == 0 {
		x.subjects[r.Subject] = r
	} else {
		if x.versions[r.Subject] == nil {
			x.versions[r.Subject] = map[int]*DeprecationRecord{}
		}
		x.versions[r.Subject][r.Version] = r
	}
	vs, err := s.store.VersionList(ctx, r.Subject, true)
	if err != nil {
		return storeError(err)
	}
	for _, v := range vs {
		if r.Version != 0 && v.Version != r.Version {
			continue
		}
		// A subject's versions use schemas of the subject's context.
		key := SchemaKey{Context: ContextOf(r.Subject), ID: v.SchemaID}
		if cur := x.ids[key]; cur == nil || r.CreatedAt.Before(cur.CreatedAt) {
			x.ids[key] = r
		}
	}
	return nil
}

// SchemaDeprecation returns the record deprecating a subject or version
// that uses the schema with the given (context, id), or nil; an empty
// context is the default one. It serves the Deprecation and Sunset
// headers of GET /schemas/ids/{id} from memory.
func (s *Service) SchemaDeprecation(ctx context.Context, schema SchemaKey) (*DeprecationRecord, error) {
	x, err := s.deprecationIndex(ctx)
	if err != nil || x.empty() {
		return nil, err
	}
	if schema.Context == "" {
		schema.Context = DefaultContext
	}
	if r := x.ids[schema]; r != nil && allowed(ctx, PermRead, r.Subject) {
		return r, nil
	}
	return nil, nil
}

// VersionDeprecation returns the record deprecating subject or the given
// version of it (LatestVersion resolves to the latest live version), or
// nil. It serves the headers of GET /subjects/{s}/versions/{v}.
func (s *Service) VersionDeprecation(ctx context.Context, subject string, version int) (*DeprecationRecord, error) {
	x, err := s.deprecationIndex(ctx)
	if err != nil || x.empty() {
		return nil, err
	}
	if r := x.subjects[subject]; r != nil {
		return r, nil
	}
	byVersion := x.versions[subject]
	if len(byVersion) == 0 {
		return nil, nil
	}
	if version == LatestVersion {
		v, err := s.store.VersionLatest(ctx, subject, false)
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, storeError(err)
		}
		version = v.Version
	}
	return byVersion[version], nil
}
