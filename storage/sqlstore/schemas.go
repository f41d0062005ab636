package sqlstore

import (
	"context"

	"github.com/schemata-dev/schemata/internal/registry"
)

func (e *Executor) scanSchema(row Row) (*registry.Schema, error) {
	var sr schemaRow
	if err := row.Scan(sr.dest()...); err != nil {
		return nil, e.translate(err)
	}
	return sr.schema()
}

// SchemaGetByID returns the schema with id.
func (e *Executor) SchemaGetByID(ctx context.Context, id int) (*registry.Schema, error) {
	s, err := e.scanSchema(e.conn.Reader().QueryRow(ctx, e.q.schemaByID, id))
	if err != nil {
		return nil, e.errorf("schema %d: %w", id, err)
	}
	return s, nil
}

// SchemaGetUsed returns the schema with id if a version uses it.
func (e *Executor) SchemaGetUsed(ctx context.Context, id int) (*registry.Schema, error) {
	s, err := e.scanSchema(e.conn.Reader().QueryRow(ctx, e.q.schemaUsed, id))
	if err != nil {
		return nil, e.errorf("used schema %d: %w", id, err)
	}
	return s, nil
}

// SchemaGetByFingerprint returns the schema with fingerprint.
func (e *Executor) SchemaGetByFingerprint(ctx context.Context, fingerprint string) (*registry.Schema, error) {
	s, err := e.scanSchema(e.conn.Reader().QueryRow(ctx, e.q.schemaByFingerprint, fingerprint))
	if err != nil {
		return nil, e.errorf("schema by fingerprint: %w", err)
	}
	return s, nil
}

// SchemaInsert stores a new schema and its references, atomically: in a
// transaction of its own unless e is one. An explicit id is reserved with
// the backend (Conn.ReserveSchemaID) so it is never assigned again. A
// taken fingerprint or id is registry.ErrConflict, and leaves a
// transaction e runs in usable.
func (e *Executor) SchemaInsert(ctx context.Context, p registry.SchemaInsertParams) (*registry.Schema, error) {
	if p.ID < 0 {
		return nil, e.errorf("insert schema: negative id %d", p.ID)
	}
	s := p.Schema
	err := e.atomically(ctx, func(tx *Executor) error {
		w := tx.conn.Writer()
		var err error
		if p.ID == 0 {
			err = w.QueryRow(ctx, `
				INSERT INTO schemas (format, text, metadata, ruleset, fingerprint)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT DO NOTHING
				RETURNING id`,
				string(s.Format), s.Text, nullJSON(s.Metadata), nullJSON(s.RuleSet), s.Fingerprint,
			).Scan(&s.ID)
		} else {
			err = w.QueryRow(ctx, `
				INSERT INTO schemas (id, format, text, metadata, ruleset, fingerprint)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT DO NOTHING
				RETURNING id`,
				p.ID, string(s.Format), s.Text, nullJSON(s.Metadata), nullJSON(s.RuleSet), s.Fingerprint,
			).Scan(&s.ID)
		}
		// A taken fingerprint or id inserts nothing rather than failing,
		// so that the caller's transaction stays usable: it may read the
		// row that is there.
		if err != nil && tx.d.Classify(err) == ErrorNoRows {
			return tx.errorf("insert schema: fingerprint or id taken: %w", registry.ErrConflict)
		}
		if err != nil {
			return tx.errorf("insert schema: %w", tx.translate(err))
		}
		if p.ID != 0 {
			if err := tx.conn.ReserveSchemaID(ctx, p.ID); err != nil {
				return err
			}
		}
		for i, r := range s.References {
			_, err := w.Exec(ctx, `
				INSERT INTO schema_references (schema_id, ordinal, name, subject, version)
				VALUES ($1, $2, $3, $4, $5)`,
				s.ID, i, r.Name, r.Subject, r.Version)
			if err != nil {
				return tx.errorf("insert reference %q of schema %d: %w", r.Name, s.ID, tx.translate(err))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// SchemaList lists subject versions with their schemas, ordered by subject
// then version. With LatestOnly it keeps each subject's highest version
// among those the deleted filter admits.
func (e *Executor) SchemaList(ctx context.Context, p registry.SchemaListParams) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, e.q.schemaList,
		p.SubjectPrefix, p.IncludeDeleted, p.LatestOnly, limit(p.Limit), max(p.Offset, 0))
	if err != nil {
		return nil, e.errorf("list schemas: %w", err)
	}
	return vs, nil
}

// SchemaVersions lists the subject versions that use schema id, ordered by
// subject then version, each with its schema.
func (e *Executor) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, e.q.schemaVersions, id, includeDeleted)
	if err != nil {
		return nil, e.errorf("versions of schema %d: %w", id, err)
	}
	return vs, nil
}

// SchemaMaxID returns the highest schema id assigned, 0 when none.
func (e *Executor) SchemaMaxID(ctx context.Context) (int, error) {
	var id int
	if err := e.conn.Reader().QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM schemas`).Scan(&id); err != nil {
		return 0, e.errorf("max schema id: %w", e.translate(err))
	}
	return id, nil
}

// SchemaDeleteUnused removes schema id and its references when no version
// uses it, so that IMPORT may give the id, or the text, again.
func (e *Executor) SchemaDeleteUnused(ctx context.Context, id int) error {
	err := e.atomically(ctx, func(tx *Executor) error {
		w := tx.conn.Writer()
		var used bool
		if err := w.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM subject_versions WHERE schema_id = $1)`, id).Scan(&used); err != nil {
			return tx.translate(err)
		}
		if used {
			return registry.ErrNotFound
		}
		if _, err := w.Exec(ctx, `DELETE FROM schema_references WHERE schema_id = $1`, id); err != nil {
			return tx.translate(err)
		}
		return tx.affectedOne(w.Exec(ctx, `DELETE FROM schemas WHERE id = $1`, id))
	})
	if err != nil {
		return e.errorf("delete unused schema %d: %w", id, err)
	}
	return nil
}
