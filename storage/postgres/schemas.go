package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/schemata-dev/schemata/internal/registry"
)

// SchemaGetByID returns the schema with the given id.
func (e *executor) SchemaGetByID(ctx context.Context, id int) (*registry.Schema, error) {
	s, err := scanSchema(e.db.QueryRow(ctx, `SELECT `+schemaColumns+` FROM schemas s WHERE s.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: schema %d: %w", id, err)
	}
	return s, nil
}

// SchemaGetByFingerprint returns the schema with the given fingerprint.
func (e *executor) SchemaGetByFingerprint(ctx context.Context, fingerprint string) (*registry.Schema, error) {
	s, err := scanSchema(e.db.QueryRow(ctx, `SELECT `+schemaColumns+` FROM schemas s WHERE s.fingerprint = $1`, fingerprint))
	if err != nil {
		return nil, fmt.Errorf("postgres: schema by fingerprint: %w", err)
	}
	return s, nil
}

// SchemaInsert stores a new schema and its references. Outside a
// transaction it runs in one of its own. An explicit id moves the id
// sequence past it, under an advisory lock so that concurrent imports
// cannot move it back.
func (e *executor) SchemaInsert(ctx context.Context, p registry.SchemaInsertParams) (*registry.Schema, error) {
	if p.ID < 0 {
		return nil, fmt.Errorf("postgres: insert schema: negative id %d", p.ID)
	}
	if !e.inTx {
		var out *registry.Schema
		err := pgx.BeginFunc(ctx, e.db, func(tx pgx.Tx) error {
			var err error
			out, err = (&executor{db: tx, ns: e.ns, inTx: true}).SchemaInsert(ctx, p)
			return err
		})
		return out, err
	}

	s := p.Schema
	var err error
	if p.ID == 0 {
		err = e.db.QueryRow(ctx, `
			INSERT INTO schemas (format, text, metadata, ruleset, fingerprint)
			VALUES ($1, $2, $3, $4, $5)
			RETURNING id`,
			string(s.Format), s.Text, nullJSON(s.Metadata), nullJSON(s.RuleSet), s.Fingerprint,
		).Scan(&s.ID)
	} else {
		err = e.db.QueryRow(ctx, `
			INSERT INTO schemas (id, format, text, metadata, ruleset, fingerprint)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			p.ID, string(s.Format), s.Text, nullJSON(s.Metadata), nullJSON(s.RuleSet), s.Fingerprint,
		).Scan(&s.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: insert schema: %w", translate(err))
	}
	if p.ID != 0 {
		if err := e.bumpIDSequence(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	for i, r := range s.References {
		_, err := e.db.Exec(ctx, `
			INSERT INTO schema_references (schema_id, ordinal, name, subject, version)
			VALUES ($1, $2, $3, $4, $5)`,
			s.ID, i, r.Name, r.Subject, r.Version)
		if err != nil {
			return nil, fmt.Errorf("postgres: insert reference %q of schema %d: %w", r.Name, s.ID, translate(err))
		}
	}
	s.References = append(s.References[:0:0], s.References...)
	return &s, nil
}

// bumpIDSequence makes sure the id sequence never hands out id. setval is
// not transactional, so the read-modify-write runs under a transaction
// advisory lock.
func (e *executor) bumpIDSequence(ctx context.Context, id int) error {
	if _, err := e.db.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey("schema-ids", e.ns, "")); err != nil {
		return fmt.Errorf("postgres: lock schema ids: %w", translate(err))
	}
	_, err := e.db.Exec(ctx, `
		SELECT setval(q.seq, greatest($1::bigint, coalesce(pg_sequence_last_value(q.seq), 0)))
		FROM (SELECT pg_get_serial_sequence('schemas', 'id')::regclass AS seq) q`, id)
	if err != nil {
		return fmt.Errorf("postgres: move schema id sequence past %d: %w", id, translate(err))
	}
	return nil
}

// SchemaList lists subject versions with their schemas, ordered by subject
// then version. With LatestOnly it keeps each subject's highest version
// among those the deleted filter admits.
func (e *executor) SchemaList(ctx context.Context, p registry.SchemaListParams) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE starts_with(v.subject, $1)
		  AND ($2 OR NOT v.deleted)
		  AND (NOT $3 OR v.version = (
		        SELECT max(l.version) FROM subject_versions l
		        WHERE l.subject = v.subject AND ($2 OR NOT l.deleted)))
		ORDER BY v.subject, v.version
		LIMIT $4 OFFSET $5`,
		p.SubjectPrefix, p.IncludeDeleted, p.LatestOnly, noLimit(p.Limit), max(p.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("postgres: list schemas: %w", err)
	}
	return vs, nil
}

// SchemaVersions lists the subject versions that use schema id, ordered by
// subject then version, each with its schema.
func (e *executor) SchemaVersions(ctx context.Context, id int, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, `SELECT `+versionColumns+versionsFrom+`
		WHERE v.schema_id = $1 AND ($2 OR NOT v.deleted)
		ORDER BY v.subject, v.version`,
		id, includeDeleted)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of schema %d: %w", id, err)
	}
	return vs, nil
}

// SchemaMaxID returns the highest schema id assigned, 0 when none.
func (e *executor) SchemaMaxID(ctx context.Context) (int, error) {
	var id int
	if err := e.db.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM schemas`).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: max schema id: %w", translate(err))
	}
	return id, nil
}
