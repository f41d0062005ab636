package registry

import (
	"context"
	"errors"

	"github.com/schemata-dev/schemata/srapi"
)

// SchemaByID returns the schema with the given global id, from memory
// after the first read. It is srapi.CodeSchemaNotFound when no version of any
// subject, soft-deleted ones included, uses the id, and, for a caller who
// may read only some subjects, when none of those the id is used by.
func (s *Service) SchemaByID(ctx context.Context, id int) (*Schema, error) {
	if err := s.idVisible(ctx, id); err != nil {
		return nil, err
	}
	if sch, ok := s.byID.GetIfPresent(id); ok {
		return sch, nil
	}
	// A schema row outlives permanently deleted versions; it is reachable
	// only while some version uses it.
	sch, err := s.store.SchemaGetUsed(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, schemaNotFound(id)
	}
	if err != nil {
		return nil, storeError(err)
	}
	// The fingerprint cache may hold the same row: keep one copy.
	if same, ok := s.byFingerprint.GetIfPresent(sch.Fingerprint); ok && same.ID == sch.ID {
		sch = same
	}
	s.byID.Set(id, sch)
	return sch, nil
}

// idVisible answers, for a caller who may read only some subjects, as if
// id did not exist unless at least one subject using it (soft-deleted
// versions included) is readable. It costs one query for such callers
// and nothing for the others.
func (s *Service) idVisible(ctx context.Context, id int) error {
	a := restricted(ctx, PermRead)
	if a == nil {
		return nil
	}
	vs, err := s.store.SchemaVersions(ctx, id, true)
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

// MaxSchemaID returns the highest schema id assigned, 0 when none: what
// Confluent's fetchMaxId answers as maxId.
func (s *Service) MaxSchemaID(ctx context.Context) (int, error) {
	id, err := s.store.SchemaMaxID(ctx)
	if err != nil {
		return 0, storeError(err)
	}
	return id, nil
}

func schemaNotFound(id int) error {
	return Errorf(srapi.CodeSchemaNotFound, "Schema %d not found", id)
}

// SchemaVersions lists the subject versions that use schema id, those
// the caller may read.
func (s *Service) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]SubjectVersion, error) {
	vs, err := s.store.SchemaVersions(ctx, id, includeDeleted)
	if err != nil {
		return nil, storeError(err)
	}
	vs = readable(ctx, vs, versionSubject)
	if len(vs) == 0 {
		if _, err := s.SchemaByID(ctx, id); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// Schemas lists schemas under subjects (GET /schemas), those of subjects
// the caller may read; Offset and Limit page what the caller sees.
func (s *Service) Schemas(ctx context.Context, p SchemaListParams) ([]SubjectVersion, error) {
	vs, err := pageReadable(ctx, p.Offset, p.Limit, versionSubject, func(offset, limit int) ([]SubjectVersion, error) {
		q := p
		q.Offset, q.Limit = offset, limit
		return s.store.SchemaList(ctx, q)
	})
	return vs, storeError(err)
}

// Subjects lists subject names, those the caller may read; Offset and
// Limit page what the caller sees.
func (s *Service) Subjects(ctx context.Context, p SubjectListParams) ([]string, error) {
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
	ids, err := s.store.VersionReferencedBy(ctx, subject, v.Version)
	if err != nil {
		return nil, storeError(err)
	}
	if restricted(ctx, PermRead) != nil {
		// Only the referrers the caller could look up by id.
		visible := ids[:0]
		for _, id := range ids {
			switch err := s.idVisible(ctx, id); {
			case err == nil:
				visible = append(visible, id)
			case !errors.Is(err, ErrSchemaNotFound):
				return nil, err
			}
		}
		ids = visible
	}
	if ids == nil {
		ids = []int{}
	}
	return ids, nil
}
