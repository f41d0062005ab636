package sqlite

import (
	"context"
	"fmt"
	"time"

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
	created = created.UTC().Truncate(time.Microsecond)
	_, err := e.w.ExecContext(ctx, `
		INSERT INTO subject_versions (subject, version, schema_id, deleted, created_at)
		VALUES (?, ?, ?, 0, ?)`,
		p.Subject, p.Version, p.SchemaID, formatTime(created))
	if err != nil {
		return nil, fmt.Errorf("sqlite: insert version %d of %q: %w", p.Version, p.Subject, translate(err))
	}
	return &registry.SubjectVersion{
		Subject: p.Subject, Version: p.Version, SchemaID: p.SchemaID, CreatedAt: created,
	}, nil
}

// VersionGet returns one version with its schema.
func (e *executor) VersionGet(ctx context.Context, subject string, version int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.r.QueryRowContext(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = ? AND v.version = ? AND (? OR v.deleted = 0)`,
		subject, version, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("sqlite: version %d of %q: %w", version, subject, err)
	}
	return v, nil
}

// VersionLatest returns the subject's highest version with its schema.
func (e *executor) VersionLatest(ctx context.Context, subject string, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.r.QueryRowContext(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = ? AND (? OR v.deleted = 0)
		ORDER BY v.version DESC LIMIT 1`,
		subject, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("sqlite: latest version of %q: %w", subject, err)
	}
	return v, nil
}

// VersionList returns the subject's versions with their schemas, oldest
// first.
func (e *executor) VersionList(ctx context.Context, subject string, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = ? AND (? OR v.deleted = 0)
		ORDER BY v.version`,
		subject, includeDeleted)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %q: %w", subject, err)
	}
	return vs, nil
}

// VersionMax returns the highest version number present in the subject,
// soft-deleted ones included; 0 when none.
func (e *executor) VersionMax(ctx context.Context, subject string) (int, error) {
	var n int
	err := e.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM subject_versions WHERE subject = ?`, subject).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: max version of %q: %w", subject, translate(err))
	}
	return n, nil
}

// VersionBySchema returns the subject's version that uses schema id. When
// deleted versions are included and several match, the live one wins,
// then the highest.
func (e *executor) VersionBySchema(ctx context.Context, subject string, schemaID int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := scanVersion(e.r.QueryRowContext(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.subject = ? AND v.schema_id = ? AND (? OR v.deleted = 0)
		ORDER BY v.deleted, v.version DESC LIMIT 1`,
		subject, schemaID, includeDeleted))
	if err != nil {
		return nil, fmt.Errorf("sqlite: version of %q with schema %d: %w", subject, schemaID, err)
	}
	return v, nil
}

// VersionSoftDelete marks a live version deleted; registry.ErrNotFound when
// there is no such live version.
func (e *executor) VersionSoftDelete(ctx context.Context, subject string, version int) error {
	res, err := e.w.ExecContext(ctx, `UPDATE subject_versions SET deleted = 1
		WHERE subject = ? AND version = ? AND deleted = 0`, subject, version)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlite: soft-delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionHardDelete removes a version, deleted or not; registry.ErrNotFound
// when there is no such version. The schema it used stays: an id always
// names the same content.
func (e *executor) VersionHardDelete(ctx context.Context, subject string, version int) error {
	res, err := e.w.ExecContext(ctx, `DELETE FROM subject_versions WHERE subject = ? AND version = ?`, subject, version)
	if err := affectedOne(res, err); err != nil {
		return fmt.Errorf("sqlite: delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionReferencedBy returns, ascending, the ids of schemas used by a live
// version of some subject that reference subject/version.
func (e *executor) VersionReferencedBy(ctx context.Context, subject string, version int) ([]int, error) {
	rows, err := e.r.QueryContext(ctx, `
		SELECT DISTINCT r.schema_id FROM schema_references r
		WHERE r.subject = ? AND r.version = ?
		  AND EXISTS (SELECT 1 FROM subject_versions v WHERE v.schema_id = r.schema_id AND v.deleted = 0)
		ORDER BY r.schema_id`, subject, version)
	if err != nil {
		return nil, fmt.Errorf("sqlite: schemas referencing %q version %d: %w", subject, version, translate(err))
	}
	ids, err := collectInts(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: schemas referencing %q version %d: %w", subject, version, err)
	}
	return ids, nil
}

// SubjectList lists subject names, sorted. By default a subject is listed
// when it has a live version; IncludeDeleted lists every subject with any
// version; DeletedOnly, which wins over IncludeDeleted, lists subjects with
// a soft-deleted version.
func (e *executor) SubjectList(ctx context.Context, p registry.SubjectListParams) ([]string, error) {
	rows, err := e.r.QueryContext(ctx, `
		SELECT subject FROM subject_versions
		WHERE substr(subject, 1, length(?1)) = ?1
		GROUP BY subject
		HAVING CASE WHEN ?2 THEN max(deleted) = 1 WHEN ?3 THEN 1 ELSE min(deleted) = 0 END
		ORDER BY subject
		LIMIT ?4 OFFSET ?5`,
		p.Prefix, p.DeletedOnly, p.IncludeDeleted, noLimit(p.Limit), max(p.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list subjects: %w", translate(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("sqlite: list subjects: %w", translate(err))
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list subjects: %w", translate(err))
	}
	return out, nil
}
