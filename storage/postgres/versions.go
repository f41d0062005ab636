package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemata-dev/schemata/internal/registry"
)

// VersionInsert adds a live version to a subject. A taken version number,
// or a schema already live in the subject, is registry.ErrConflict; an
// unknown schema id is registry.ErrNotFound. The result has no Schema.
func (e *executor) VersionInsert(ctx context.Context, p registry.VersionInsertParams) (*registry.SubjectVersion, error) {
	created := p.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	// PostgreSQL keeps microseconds.
	created = created.UTC().Truncate(time.Microsecond)
	_, err := e.db.Exec(ctx, `
		INSERT INTO subject_versions (subject, version, schema_id, created_at)
		VALUES ($1, $2, $3, $4)`,
		p.Subject, p.Version, p.SchemaID, created)
	if err != nil {
		return nil, fmt.Errorf("postgres: insert version %d of %q: %w", p.Version, p.Subject, translate(err))
	}
	return &registry.SubjectVersion{
		Subject: p.Subject, Version: p.Version, SchemaID: p.SchemaID, CreatedAt: created,
	}, nil
}

// VersionGet returns one version with its schema.
func (e *executor) VersionGet(ctx context.Context, subject string, version int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.db.QueryRow(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = $1 AND v.version = $2 AND ($3 OR NOT v.deleted)`,
		subject, version, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("postgres: version %d of %q: %w", version, subject, err)
	}
	return v, nil
}

// VersionLatest returns the subject's highest version with its schema.
func (e *executor) VersionLatest(ctx context.Context, subject string, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.db.QueryRow(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = $1 AND ($2 OR NOT v.deleted)
		ORDER BY v.version DESC LIMIT 1`,
		subject, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("postgres: latest version of %q: %w", subject, err)
	}
	return v, nil
}

// VersionList returns the subject's versions with their schemas, oldest
// first.
func (e *executor) VersionList(ctx context.Context, subject string, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = $1 AND ($2 OR NOT v.deleted)
		ORDER BY v.version`,
		subject, includeDeleted)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %q: %w", subject, err)
	}
	return vs, nil
}

// VersionMax returns the highest version number present in the subject,
// soft-deleted ones included; 0 when none.
func (e *executor) VersionMax(ctx context.Context, subject string) (int, error) {
	var n int
	err := e.db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM subject_versions WHERE subject = $1`, subject).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: max version of %q: %w", subject, translate(err))
	}
	return n, nil
}

// VersionBySchema returns the subject's version that uses schema id. When
// deleted versions are included and several match, the live one wins,
// then the highest.
func (e *executor) VersionBySchema(ctx context.Context, subject string, schemaID int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.db.QueryRow(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = $1 AND v.schema_id = $2 AND ($3 OR NOT v.deleted)
		ORDER BY v.deleted, v.version DESC LIMIT 1`,
		subject, schemaID, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("postgres: version of %q with schema %d: %w", subject, schemaID, err)
	}
	return v, nil
}

// VersionSoftDelete marks a live version deleted; registry.ErrNotFound when
// there is no such live version.
func (e *executor) VersionSoftDelete(ctx context.Context, subject string, version int) error {
	tag, err := e.db.Exec(ctx, `UPDATE subject_versions SET deleted = true
		WHERE subject = $1 AND version = $2 AND NOT deleted`, subject, version)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: soft-delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionHardDelete removes a version, deleted or not; registry.ErrNotFound
// when there is no such version. The schema it used stays: an id always
// names the same content.
func (e *executor) VersionHardDelete(ctx context.Context, subject string, version int) error {
	tag, err := e.db.Exec(ctx, `DELETE FROM subject_versions WHERE subject = $1 AND version = $2`, subject, version)
	if err := affectedOne(tag, err); err != nil {
		return fmt.Errorf("postgres: delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionReferencedBy returns, ascending, the ids of schemas used by a live
// version of some subject that reference subject/version.
func (e *executor) VersionReferencedBy(ctx context.Context, subject string, version int) ([]int, error) {
	rows, err := e.db.Query(ctx, `
		SELECT DISTINCT r.schema_id FROM schema_references r
		WHERE r.subject = $1 AND r.version = $2
		  AND EXISTS (SELECT 1 FROM subject_versions v WHERE v.schema_id = r.schema_id AND NOT v.deleted)
		ORDER BY r.schema_id`, subject, version)
	if err != nil {
		return nil, fmt.Errorf("postgres: schemas referencing %q version %d: %w", subject, version, translate(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("postgres: schemas referencing %q version %d: %w", subject, version, translate(err))
	}
	return ids, nil
}

// SubjectList lists subject names, sorted by byte. By default a subject is
// listed when it has a live version; IncludeDeleted lists every subject
// with any version; DeletedOnly, which wins over IncludeDeleted, lists
// subjects with a soft-deleted version.
func (e *executor) SubjectList(ctx context.Context, p registry.SubjectListParams) ([]string, error) {
	rows, err := e.db.Query(ctx, `
		SELECT subject FROM subject_versions
		WHERE starts_with(subject, $1)
		GROUP BY subject
		HAVING CASE WHEN $2 THEN bool_or(deleted) WHEN $3 THEN true ELSE NOT bool_and(deleted) END
		ORDER BY subject
		LIMIT $4 OFFSET $5`,
		p.Prefix, p.DeletedOnly, p.IncludeDeleted, noLimit(p.Limit), max(p.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("postgres: list subjects: %w", translate(err))
	}
	subjects, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: list subjects: %w", translate(err))
	}
	return subjects, nil
}
