package sqlstore

import (
	"context"
	"time"

	"github.com/schemata-dev/schemata/internal/registry"
)

// scanVersion scans the columns of the version queries (queries.go), then
// those of extra.
func (e *Executor) scanVersion(row Row, extra ...any) (*registry.SubjectVersion, error) {
	var (
		v  registry.SubjectVersion
		sr schemaRow
	)
	dest := append([]any{&v.Subject, &v.Version, &v.Deleted, scanTime(&v.CreatedAt)}, sr.dest()...)
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, e.translate(err)
	}
	var err error
	if v.Schema, err = sr.schema(); err != nil {
		return nil, err
	}
	v.SchemaID = v.Schema.ID
	return &v, nil
}

func (e *Executor) queryVersions(ctx context.Context, query string, args ...any) ([]registry.SubjectVersion, error) {
	vs, err := queryAll(ctx, e.conn.Reader(), func(r Row) (registry.SubjectVersion, error) {
		v, err := e.scanVersion(r)
		if err != nil {
			return registry.SubjectVersion{}, err
		}
		return *v, nil
	}, query, args...)
	return vs, e.translate(err)
}

// VersionInsert adds a live version to a subject; with p.Version zero,
// the next one (1 + the highest ever used), counted by the same
// statement. A taken version number, or a schema already live in the
// subject, is registry.ErrConflict; an unknown schema id is
// registry.ErrNotFound. The result has no Schema.
func (e *Executor) VersionInsert(ctx context.Context, p registry.VersionInsertParams) (*registry.SubjectVersion, error) {
	created := p.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	// Both backends keep microseconds.
	created = created.UTC().Truncate(time.Microsecond)
	version := p.Version
	var err error
	if version == 0 {
		err = e.conn.Writer().QueryRow(ctx, `
			INSERT INTO subject_versions (subject, version, context, schema_id, deleted, created_at, input_hash, identity_hash, normalized_hash)
			VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM subject_versions WHERE subject = $1), $2, $3, false, $4, $5, $6, $7)
			RETURNING version`,
			p.Subject, registry.ContextOf(p.Subject), p.SchemaID, e.d.Time(created), nullText(p.Hashes.Input), nullText(p.Hashes.Identity), nullText(p.Hashes.Normalized),
		).Scan(&version)
	} else {
		_, err = e.conn.Writer().Exec(ctx, `
			INSERT INTO subject_versions (subject, version, context, schema_id, deleted, created_at, input_hash, identity_hash, normalized_hash)
			VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8)`,
			p.Subject, p.Version, registry.ContextOf(p.Subject), p.SchemaID, e.d.Time(created), nullText(p.Hashes.Input), nullText(p.Hashes.Identity), nullText(p.Hashes.Normalized))
	}
	if err != nil {
		return nil, e.errorf("insert version %d of %q: %w", p.Version, p.Subject, e.translate(err))
	}
	return &registry.SubjectVersion{
		Subject: p.Subject, Version: version, SchemaID: p.SchemaID, CreatedAt: created,
	}, nil
}

// VersionGet returns one version with its schema.
func (e *Executor) VersionGet(ctx context.Context, subject string, version int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := e.scanVersion(e.conn.Reader().QueryRow(ctx, e.q.versionGet, subject, version, includeDeleted))
	if err != nil {
		return nil, e.errorf("version %d of %q: %w", version, subject, err)
	}
	return v, nil
}

// VersionLatest returns the subject's highest version with its schema.
func (e *Executor) VersionLatest(ctx context.Context, subject string, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := e.scanVersion(e.conn.Reader().QueryRow(ctx, e.q.versionLatest, subject, includeDeleted))
	if err != nil {
		return nil, e.errorf("latest version of %q: %w", subject, err)
	}
	return v, nil
}

// VersionList returns the subject's versions with their schemas, oldest
// first.
func (e *Executor) VersionList(ctx context.Context, subject string, includeDeleted bool) ([]registry.SubjectVersion, error) {
	vs, err := e.queryVersions(ctx, e.q.versionList, subject, includeDeleted)
	if err != nil {
		return nil, e.errorf("versions of %q: %w", subject, err)
	}
	return vs, nil
}

// VersionListByInput returns the subject's live versions with their
// hashes, oldest first, and the hashes of the version the request with
// input hash input registered, if any.
func (e *Executor) VersionListByInput(ctx context.Context, subject, input string) ([]registry.HashedVersion, *registry.VersionHashes, error) {
	var registered *registry.VersionHashes
	vs, err := queryAll(ctx, e.conn.Reader(), func(r Row) (registry.HashedVersion, error) {
		var in, identity, normalized, hitIdentity, hitNormalized *string
		v, err := e.scanVersion(r, &in, &identity, &normalized, &hitIdentity, &hitNormalized)
		if err != nil {
			return registry.HashedVersion{}, err
		}
		if hitIdentity != nil && hitNormalized != nil {
			registered = &registry.VersionHashes{Input: input, Identity: *hitIdentity, Normalized: *hitNormalized}
		}
		return registry.HashedVersion{SubjectVersion: *v, Hashes: registry.VersionHashes{
			Input: deref(in), Identity: deref(identity), Normalized: deref(normalized),
		}}, nil
	}, e.q.versionListByInput, subject, input)
	if err != nil {
		return nil, nil, e.errorf("versions of %q by input: %w", subject, e.translate(err))
	}
	return vs, registered, nil
}

// VersionFillHashes stores the hashes of h that the version lacks;
// registry.ErrNotFound when there is no such version.
func (e *Executor) VersionFillHashes(ctx context.Context, subject string, version int, h registry.VersionHashes) error {
	err := e.affectedOne(e.conn.Writer().Exec(ctx, `UPDATE subject_versions
		SET input_hash = coalesce(input_hash, $3), identity_hash = coalesce(identity_hash, $4),
		    normalized_hash = coalesce(normalized_hash, $5)
		WHERE subject = $1 AND version = $2`,
		subject, version, nullText(h.Input), nullText(h.Identity), nullText(h.Normalized)))
	if err != nil {
		return e.errorf("fill hashes of version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionMax returns the highest version number present in the subject,
// soft-deleted ones included; 0 when none.
func (e *Executor) VersionMax(ctx context.Context, subject string) (int, error) {
	var n int
	err := e.conn.Reader().QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM subject_versions WHERE subject = $1`, subject).Scan(&n)
	if err != nil {
		return 0, e.errorf("max version of %q: %w", subject, e.translate(err))
	}
	return n, nil
}

// VersionBySchema returns the subject's version that uses schema id. When
// deleted versions are included and several match, the live one wins,
// then the highest.
func (e *Executor) VersionBySchema(ctx context.Context, subject string, schemaID int, includeDeleted bool) (*registry.SubjectVersion, error) {
	v, err := e.scanVersion(e.conn.Reader().QueryRow(ctx, e.q.versionBySchema, subject, schemaID, includeDeleted))
	if err != nil {
		return nil, e.errorf("version of %q with schema %d: %w", subject, schemaID, err)
	}
	return v, nil
}

// VersionSoftDelete marks a live version deleted; registry.ErrNotFound when
// there is no such live version.
func (e *Executor) VersionSoftDelete(ctx context.Context, subject string, version int) error {
	err := e.affectedOne(e.conn.Writer().Exec(ctx, `UPDATE subject_versions SET deleted = true
		WHERE subject = $1 AND version = $2 AND NOT deleted`, subject, version))
	if err != nil {
		return e.errorf("soft-delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionHardDelete removes a version for good; registry.ErrNotFound when
// there is none.
func (e *Executor) VersionHardDelete(ctx context.Context, subject string, version int) error {
	err := e.affectedOne(e.conn.Writer().Exec(ctx, `DELETE FROM subject_versions WHERE subject = $1 AND version = $2`, subject, version))
	if err != nil {
		return e.errorf("delete version %d of %q: %w", version, subject, err)
	}
	return nil
}

// VersionReferencedBy returns, ascending, the ids of schemas used by a live
// version of some subject that reference subject/version, each with its
// context.
func (e *Executor) VersionReferencedBy(ctx context.Context, subject string, version int) ([]registry.SchemaKey, error) {
	ids, err := queryAll(ctx, e.conn.Reader(), func(r Row) (registry.SchemaKey, error) {
		var k registry.SchemaKey
		err := r.Scan(&k.Context, &k.ID)
		return k, err
	}, `
		SELECT DISTINCT r.context, r.schema_id FROM schema_references r
		WHERE r.target = $1 AND r.version = $2
		  AND EXISTS (SELECT 1 FROM subject_versions v
		              WHERE v.context = r.context AND v.schema_id = r.schema_id AND NOT v.deleted)
		ORDER BY r.schema_id, r.context`, subject, version)
	if err != nil {
		return nil, e.errorf("schemas referencing %q version %d: %w", subject, version, e.translate(err))
	}
	return ids, nil
}

// SubjectList lists subject names, sorted by byte. By default a subject is
// listed when it has a live version; IncludeDeleted lists every subject
// with any version; DeletedOnly, which wins over IncludeDeleted, lists
// subjects with a soft-deleted version.
func (e *Executor) SubjectList(ctx context.Context, p registry.SubjectListParams) ([]string, error) {
	subjects, err := queryAll(ctx, e.conn.Reader(), scanOne[string], `
		SELECT subject FROM subject_versions
		WHERE substr(subject, 1, length($1)) = $1
		  AND NOT ($6 AND context <> '.')
		GROUP BY subject
		HAVING CASE WHEN $2 THEN count(*) FILTER (WHERE deleted) > 0
		            WHEN $3 THEN true
		            ELSE count(*) FILTER (WHERE NOT deleted) > 0 END
		ORDER BY subject
		LIMIT $4 OFFSET $5`,
		p.Prefix, p.DeletedOnly, p.IncludeDeleted, limit(p.Limit), max(p.Offset, 0), p.DefaultContextOnly)
	if err != nil {
		return nil, e.errorf("list subjects: %w", e.translate(err))
	}
	return subjects, nil
}

// ContextList lists the contexts holding a subject version, soft-deleted
// ones included, or an id counter (a context whose subjects were all
// deleted for good, until ContextDelete), sorted by byte.
func (e *Executor) ContextList(ctx context.Context) ([]string, error) {
	out, err := queryAll(ctx, e.conn.Reader(), scanOne[string], `
		SELECT context FROM subject_versions
		UNION SELECT context FROM schema_contexts
		ORDER BY context`)
	if err != nil {
		return nil, e.errorf("list contexts: %w", e.translate(err))
	}
	return out, nil
}

// ContextDelete removes what a context holds besides subject versions:
// its schemas and their references, its id counter, and the config and
// mode rows of the context and of its subjects. It returns an error
// wrapping registry.ErrConflict when a version, soft-deleted or live,
// remains in the context, and registry.ErrNotFound when the context holds
// nothing at all.
func (e *Executor) ContextDelete(ctx context.Context, schemaContext string) error {
	if schemaContext == registry.DefaultContext {
		// Its prefix is empty: the statements below would empty the registry.
		return e.errorf("delete context %q: %w", schemaContext, registry.ErrConflict)
	}
	err := e.atomically(ctx, func(tx *Executor) error {
		w := tx.conn.Writer()
		// The counter row first: a registration in the context upserts it,
		// so deleting it waits for, or holds off, any concurrent one.
		total, err := w.Exec(ctx, `DELETE FROM schema_contexts WHERE context = $1`, schemaContext)
		if err != nil {
			return tx.translate(err)
		}
		var used bool
		if err := w.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM subject_versions WHERE context = $1)`, schemaContext).Scan(&used); err != nil {
			return tx.translate(err)
		}
		if used {
			return registry.ErrConflict
		}
		prefix := registry.ContextPrefix(schemaContext)
		for _, q := range []struct {
			sql string
			arg string
		}{
			{`DELETE FROM schema_references WHERE context = $1`, schemaContext},
			{`DELETE FROM schemas WHERE context = $1`, schemaContext},
			{`DELETE FROM configs WHERE substr(subject, 1, length($1)) = $1`, prefix},
			{`DELETE FROM modes WHERE substr(subject, 1, length($1)) = $1`, prefix},
		} {
			n, err := w.Exec(ctx, q.sql, q.arg)
			if err != nil {
				return tx.translate(err)
			}
			total += n
		}
		if total == 0 {
			return registry.ErrNotFound
		}
		// The context's usage goes with its schemas: a schema registered
		// there later starts again at id 1 and has no readers yet. Usage
		// does not count towards total: it is not what the context holds.
		if _, err := w.Exec(ctx, `DELETE FROM schema_usage WHERE context = $1`, schemaContext); err != nil {
			return tx.translate(err)
		}
		return nil
	})
	if err != nil {
		return e.errorf("delete context %q: %w", schemaContext, err)
	}
	return nil
}
