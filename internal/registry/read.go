package registry

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/schemata-dev/schemata/srapi"
)

// SchemaByID returns the schema with the given id in schemaContext (ids
// are unique per context; "" is the default context), from memory after
// the first read. It is srapi.CodeSchemaNotFound when no version of any
// subject of the context, soft-deleted ones included, uses the id, and,
// for a caller who may read only some subjects, when none of those the id
// is used by.
func (s *Service) SchemaByID(ctx context.Context, schemaContext string, id int) (*Schema, error) {
	if schemaContext == "" {
		schemaContext = DefaultContext
	}
	if err := s.idVisible(ctx, schemaContext, id); err != nil {
		return nil, err
	}
	key := SchemaKey{Context: schemaContext, ID: id}
	if sch, ok := s.byID.GetIfPresent(key); ok {
		return sch, nil
	}
	// A schema row outlives permanently deleted versions; it is reachable
	// only while some version uses it.
	sch, err := s.store.SchemaGetUsed(ctx, schemaContext, id)
	if errors.Is(err, ErrNotFound) {
		return nil, schemaNotFound(id)
	}
	if err != nil {
		return nil, storeError(err)
	}
	// The fingerprint cache may hold the same row: keep one copy.
	if same, ok := s.byFingerprint.GetIfPresent(sch.Fingerprint); ok && same.Key() == sch.Key() {
		sch = same
	}
	s.byID.Set(key, sch)
	return sch, nil
}

// SchemaEpoch returns a counter that moves whenever a schema id may have
// come to name other content or none: a permanent delete, an import that
// frees ids, a deleted context, here or (through Watch) in another
// process. Nothing else changes what an id names, so a value derived
// from SchemaByID's answer stays valid for as long as SchemaEpoch
// returns what it returned before SchemaByID was called: the transport
// keeps its encoded answers this way, without asking again.
func (s *Service) SchemaEpoch() uint64 { return s.schemaEpoch.Load() }

// SchemaReadable returns the error SchemaByID returns to a caller who
// may not read schema id of schemaContext, and nil otherwise. It costs
// nothing for a caller who may read every subject.
func (s *Service) SchemaReadable(ctx context.Context, schemaContext string, id int) error {
	if schemaContext == "" {
		schemaContext = DefaultContext
	}
	return s.idVisible(ctx, schemaContext, id)
}

// idVisible answers, for a caller who may read only some subjects, as if
// id did not exist unless at least one subject using it (soft-deleted
// versions included) is readable. It costs one query for such callers
// and nothing for the others.
func (s *Service) idVisible(ctx context.Context, schemaContext string, id int) error {
	a := restricted(ctx, PermRead)
	if a == nil {
		return nil
	}
	vs, err := s.store.SchemaVersions(ctx, schemaContext, id, true)
	if err != nil {
		return storeError(err)
	}
	for _, v := range vs {
		if a.Allows(PermRead, v.Subject) {
			return nil
		}
	}
	return schemaNotFound(id)
}

func versionSubject(v *SubjectVersion) string { return v.Subject }

// MaxSchemaID returns the highest schema id assigned in schemaContext ("" is
// the default context), 0 when none: what Confluent's fetchMaxId answers
// as maxId.
func (s *Service) MaxSchemaID(ctx context.Context, schemaContext string) (int, error) {
	if schemaContext == "" {
		schemaContext = DefaultContext
	}
	id, err := s.store.SchemaMaxID(ctx, schemaContext)
	if err != nil {
		return 0, storeError(err)
	}
	return id, nil
}

func schemaNotFound(id int) error {
	return Errorf(srapi.CodeSchemaNotFound, "Schema %d not found", id)
}

// SchemaVersions lists the subject versions that use schema id of
// schemaContext ("" is the default context), those the caller may read.
func (s *Service) SchemaVersions(ctx context.Context, schemaContext string, id int, includeDeleted bool) ([]SubjectVersion, error) {
	if schemaContext == "" {
		schemaContext = DefaultContext
	}
	vs, err := s.store.SchemaVersions(ctx, schemaContext, id, includeDeleted)
	if err != nil {
		return nil, storeError(err)
	}
	vs = readable(ctx, vs, versionSubject)
	if len(vs) == 0 {
		if _, err := s.SchemaByID(ctx, schemaContext, id); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// Schemas lists schemas under subjects (GET /schemas), those of subjects
// the caller may read; Offset and Limit page what the caller sees.
func (s *Service) Schemas(ctx context.Context, p SchemaListParams) ([]SubjectVersion, error) {
	p.SubjectPrefix, p.DefaultContextOnly = contextPrefix(p.SubjectPrefix)
	vs, err := pageReadable(ctx, p.Offset, p.Limit, versionSubject, func(offset, limit int) ([]SubjectVersion, error) {
		q := p
		q.Offset, q.Limit = offset, limit
		return s.store.SchemaList(ctx, q)
	})
	return vs, storeError(err)
}

// Subjects lists subject names, those the caller may read; Offset and
// Limit page what the caller sees. Without a prefix it lists the default
// context's subjects; the prefix AllContexts lists every context's.
func (s *Service) Subjects(ctx context.Context, p SubjectListParams) ([]string, error) {
	p.Prefix, p.DefaultContextOnly = contextPrefix(p.Prefix)
	subs, err := pageReadable(ctx, p.Offset, p.Limit, subjectName, func(offset, limit int) ([]string, error) {
		q := p
		q.Offset, q.Limit = offset, limit
		return s.store.SubjectList(ctx, q)
	})
	return subs, storeError(err)
}

func subjectName(s *string) string { return *s }

// VersionsParams are the inputs of Versions.
type VersionsParams struct {
	Subject        string
	IncludeDeleted bool
	DeletedOnly    bool
}

// Versions lists a subject's version numbers; srapi.CodeSubjectNotFound when it
// has none to show.
func (s *Service) Versions(ctx context.Context, p VersionsParams) ([]int, error) {
	vs, err := s.store.VersionList(ctx, p.Subject, p.IncludeDeleted || p.DeletedOnly)
	if err != nil {
		return nil, storeError(err)
	}
	out := make([]int, 0, len(vs))
	for _, v := range vs {
		if p.DeletedOnly && !v.Deleted {
			continue
		}
		out = append(out, v.Version)
	}
	if len(out) == 0 && !p.DeletedOnly {
		return nil, subjectNotFound(p.Subject)
	}
	return out, nil
}

func subjectNotFound(subject string) error {
	return Errorf(srapi.CodeSubjectNotFound, "Subject '%s' not found.", subject)
}

// Version returns one version of a subject; version may be LatestVersion.
// A missing subject is srapi.CodeSubjectNotFound, a missing version
// srapi.CodeVersionNotFound.
func (s *Service) Version(ctx context.Context, subject string, version int, includeDeleted bool) (*SubjectVersion, error) {
	return s.version(ctx, s.store, subject, version, includeDeleted)
}

func (s *Service) version(ctx context.Context, ex Executor, subject string, version int, includeDeleted bool) (*SubjectVersion, error) {
	if version != LatestVersion && version <= 0 {
		return nil, invalidVersion(version)
	}
	var v *SubjectVersion
	var err error
	if version == LatestVersion {
		v, err = ex.VersionLatest(ctx, subject, includeDeleted)
	} else {
		v, err = ex.VersionGet(ctx, subject, version, includeDeleted)
	}
	if errors.Is(err, ErrNotFound) {
		// Tell a missing subject from a missing version.
		if _, lerr := ex.VersionLatest(ctx, subject, true); errors.Is(lerr, ErrNotFound) {
			return nil, subjectNotFound(subject)
		} else if lerr != nil {
			return nil, storeError(lerr)
		}
		if version == LatestVersion {
			return nil, subjectNotFound(subject)
		}
		return nil, Errorf(srapi.CodeVersionNotFound, "Version %d not found.", version)
	}
	if err != nil {
		return nil, storeError(err)
	}
	return v, nil
}

func invalidVersion(v int) error {
	return Errorf(srapi.CodeInvalidVersion, "The specified version '%d' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", v)
}

// ReferencedBy lists the ids of schemas that reference subject/version.
func (s *Service) ReferencedBy(ctx context.Context, subject string, version int) ([]int, error) {
	v, err := s.version(ctx, s.store, subject, version, true)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.VersionReferencedBy(ctx, subject, v.Version)
	if err != nil {
		return nil, storeError(err)
	}
	ids := []int{}
	for _, k := range keys {
		// Only the referrers the caller could look up by id.
		switch err := s.idVisible(ctx, k.Context, k.ID); {
		case err == nil:
			if !slices.Contains(ids, k.ID) {
				ids = append(ids, k.ID)
			}
		case !errors.Is(err, ErrSchemaNotFound):
			return nil, err
		}
	}
	return ids, nil
}

// contextPrefix turns a subject prefix of a listing into the store's:
// none lists the default context only, AllContexts every context.
func contextPrefix(prefix string) (string, bool) {
	switch prefix {
	case "":
		return "", true
	case AllContexts:
		return "", false
	}
	if strings.HasPrefix(prefix, ":.:") {
		// The default context named explicitly.
		return prefix[3:], true
	}
	return prefix, false
}

// Contexts lists the contexts in use, sorted, the default context always
// among them (GET /contexts).
func (s *Service) Contexts(ctx context.Context) ([]string, error) {
	cs, err := s.store.ContextList(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	if !slices.Contains(cs, DefaultContext) {
		cs = append(cs, DefaultContext)
		slices.Sort(cs)
	}
	if restricted(ctx, PermRead) != nil {
		// A named context shows when the caller may read some subject in
		// it, so that a context's name tells nothing to others.
		subs, err := s.Subjects(ctx, SubjectListParams{Prefix: AllContexts, IncludeDeleted: true})
		if err != nil {
			return nil, err
		}
		cs = []string{DefaultContext}
		for _, sub := range subs {
			if c := ContextOf(sub); !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
		slices.Sort(cs)
	}
	return cs, nil
}
