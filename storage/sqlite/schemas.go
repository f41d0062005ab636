package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
)

// SchemaGetByID returns the schema with the given id.
func (e *executor) SchemaGetByID(ctx context.Context, id int) (*registry.Schema, error) {
	s, err := scanSchema(e.r.QueryRowContext(ctx, `SELECT `+schemaColumns+` FROM schemas s WHERE s.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: schema %d: %w", id, err)
	}
	return s, nil
}

// SchemaGetByFingerprint returns the schema with the given fingerprint.
func (e *executor) SchemaGetByFingerprint(ctx context.Context, fingerprint string) (*registry.Schema, error) {
	s, err := scanSchema(e.r.QueryRowContext(ctx, `SELECT `+schemaColumns+` FROM schemas s WHERE s.fingerprint = ?`, fingerprint))
	if err != nil {
		return nil, fmt.Errorf("sqlite: schema by fingerprint: %w", err)
	}
	return s, nil
}

// SchemaInsert stores a new schema and its references, atomically.
// AUTOINCREMENT assigns ids and keeps the sequence past explicit ones.
func (e *executor) SchemaInsert(ctx context.Context, p registry.SchemaInsertParams) (*registry.Schema, error) {
	if p.ID < 0 {
		return nil, fmt.Errorf("sqlite: insert schema: negative id %d", p.ID)
	}
	var id any // NULL: let SQLite assign
	if p.ID != 0 {
		id = p.ID
	}
	s := p.Schema
	err := e.atomically(ctx, func(tx *executor) error {
		err := tx.w.QueryRowContext(ctx, `
			INSERT INTO schemas (id, format, text, metadata, ruleset, fingerprint, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			id, string(s.Format), s.Text, nullJSON(s.Metadata), nullJSON(s.RuleSet), s.Fingerprint, formatTime(time.Now()),
		).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("sqlite: insert schema: %w", translate(err))
		}
		for i, r := range s.References {
			_, err := tx.w.ExecContext(ctx, `
				INSERT INTO schema_references (schema_id, ordinal, name, subject, version)
				VALUES (?, ?, ?, ?, ?)`,
				s.ID, i, r.Name, r.Subject, r.Version)
			if err != nil {
				return fmt.Errorf("sqlite: insert reference %q of schema %d: %w", r.Name, s.ID, translate(err))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.References = append(s.References[:0:0], s.References...)
	return &s, nil
}

// SchemaList lists subject versions with their schemas, ordered by subject
// then version. With LatestOnly it keeps each subject's highest version
// among those the deleted filter admits.
func (e *executor) SchemaList(ctx context.Context, p registry.SchemaListParams) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE substr(v.subject, 1, length(?1)) = ?1
		  AND (?2 OR v.deleted = 0)
		  AND (NOT ?3 OR v.version = (
		        SELECT max(l.version) FROM subject_versions l
		        WHERE l.subject = v.subject AND (?2 OR l.deleted = 0)))
		ORDER BY v.subject, v.version
		LIMIT ?4 OFFSET ?5`,
		p.SubjectPrefix, p.IncludeDeleted, p.LatestOnly, noLimit(p.Limit), max(p.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list schemas: %w", err)
	}
	return vs, nil
}

// SchemaVersions lists the subject versions that use schema id, ordered by
// subject then version, each with its schema.
func (e *executor) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.schema_id = ? AND (? OR v.deleted = 0)
		ORDER BY v.subject, v.version`,
		id, includeDeleted)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of schema %d: %w", id, err)
	}
	return vs, nil
}

// SchemaMaxID returns the highest schema id assigned, 0 when none.
func (e *executor) SchemaMaxID(ctx context.Context) (int, error) {
	var id int
	if err := e.r.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM schemas`).Scan(&id); err != nil {
		return 0, fmt.Errorf("sqlite: max schema id: %w", translate(err))
	}
	return id, nil
}
