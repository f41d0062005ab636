package registry

import (
	"context"
	"errors"

	"github.com/schemata-dev/schemata/srapi"
)

// SchemaByID returns the schema with the given global id, from memory
// after the first read. It is srapi.CodeSchemaNotFound when no version of any
// subject, soft-deleted ones included, uses the id.
func (s *Service) SchemaByID(ctx context.Context, id int) (*Schema, error) {
	if sch, ok := s.byID.GetIfPresent(id); ok {
		return sch, nil
	}
	sch, err := s.store.SchemaGetByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, schemaNotFound(id)
	}
	if err != nil {
		return nil, storeError(err)
	}
	// A schema row outlives permanently deleted versions; it is reachable
	// only while some version uses it.
	vs, err := s.store.SchemaVersions(ctx, id, true)
	if err != nil {
		return nil, storeError(err)
	}
	if len(vs) == 0 {
		return nil, schemaNotFound(id)
	}
	s.byID.Set(id, sch)
	return sch, nil
}

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

// SchemaVersions lists the subject versions that use schema id.
func (s *Service) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]SubjectVersion, error) {
	vs, err := s.store.SchemaVersions(ctx, id, includeDeleted)
	if err != nil {
		return nil, storeError(err)
	}
	if len(vs) == 0 {
		if _, err := s.SchemaByID(ctx, id); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// Schemas lists schemas under subjects (GET /schemas).
func (s *Service) Schemas(ctx context.Context, p SchemaListParams) ([]SubjectVersion, error) {
	vs, err := s.store.SchemaList(ctx, p)
	return vs, storeError(err)
}

// Subjects lists subject names.
func (s *Service) Subjects(ctx context.Context, p SubjectListParams) ([]string, error) {
	subs, err := s.store.SubjectList(ctx, p)
	return subs, storeError(err)
}

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
	if ids == nil {
		ids = []int{}
	}
	return ids, nil
}
