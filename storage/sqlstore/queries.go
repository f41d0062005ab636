package sqlstore

// queries holds the statements whose text includes a Dialect's fragment,
// concatenated once per Executor family rather than on every call: the
// read path runs them most, and pgx keys its statement cache by text.
type queries struct {
	schemaByID, schemaUsed, schemaByFingerprint             string
	schemaList, schemaVersions                              string
	versionGet, versionLatest, versionList, versionBySchema string
	versionListByInput                                      string
}

func newQueries(d Dialect) *queries {
	// scan with schemaRow
	schema := `s.id, s.format, s.text, s.metadata, s.ruleset, s.fingerprint, ` + d.ReferencesJSON() + `, s.context`
	// scan with scanVersion
	versions := `SELECT v.subject, v.version, v.deleted, v.created_at, ` + schema + `
		FROM subject_versions v JOIN schemas s ON s.context = v.context AND s.id = v.schema_id `
	return &queries{
		schemaByID: `SELECT ` + schema + ` FROM schemas s WHERE s.context = $1 AND s.id = $2`,
		schemaUsed: `SELECT ` + schema + ` FROM schemas s WHERE s.context = $1 AND s.id = $2
		  AND EXISTS (SELECT 1 FROM subject_versions v WHERE v.context = s.context AND v.schema_id = s.id)`,
		schemaByFingerprint: `SELECT ` + schema + ` FROM schemas s WHERE s.fingerprint = $1`,
		schemaList: versions + `
		WHERE substr(v.subject, 1, length($1)) = $1
		  AND NOT ($6 AND v.context <> '.')
		  AND ($2 OR NOT v.deleted)
		  AND (NOT $3 OR v.version = (
		        SELECT max(l.version) FROM subject_versions l
		        WHERE l.subject = v.subject AND ($2 OR NOT l.deleted)))
		ORDER BY v.subject, v.version
		LIMIT $4 OFFSET $5`,
		schemaVersions: versions + `
		WHERE v.context = $1 AND v.schema_id = $2 AND ($3 OR NOT v.deleted)
		ORDER BY v.subject, v.version`,
		versionGet: versions + `
		WHERE v.subject = $1 AND v.version = $2 AND ($3 OR NOT v.deleted)`,
		versionLatest: versions + `
		WHERE v.subject = $1 AND ($2 OR NOT v.deleted)
		ORDER BY v.version DESC LIMIT 1`,
		versionList: versions + `
		WHERE v.subject = $1 AND ($2 OR NOT v.deleted)
		ORDER BY v.version`,
		// The hashes of the request's own version come with every row:
		// one query answers a re-registration.
		versionListByInput: `SELECT v.subject, v.version, v.deleted, v.created_at, ` + schema + `,
		  v.input_hash, v.identity_hash, v.normalized_hash,
		  h.identity_hash, h.normalized_hash
		FROM subject_versions v JOIN schemas s ON s.context = v.context AND s.id = v.schema_id
		LEFT JOIN (SELECT identity_hash, normalized_hash FROM subject_versions
		           WHERE subject = $1 AND input_hash = $2 LIMIT 1) h ON true
		WHERE v.subject = $1 AND NOT v.deleted
		ORDER BY v.version`,
		// The live version wins, then the highest.
		versionBySchema: versions + `
		WHERE v.subject = $1 AND v.schema_id = $2 AND ($3 OR NOT v.deleted)
		ORDER BY v.deleted, v.version DESC LIMIT 1`,
	}
}
