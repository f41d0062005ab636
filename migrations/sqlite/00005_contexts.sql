-- Schema contexts (Confluent's): a subject ":.ctx:name" lives in context
-- ".ctx", every other subject in the default context ".". Schema ids are
-- unique per context, so schemas are keyed by (context, id) and the rows
-- that point at a schema carry its context. SQLite cannot change a primary
-- key in place: the three tables are rebuilt, existing rows becoming the
-- default context. AUTOINCREMENT needs a one-column key, so every context,
-- the default one included, counts its ids in schema_contexts (SQLite's
-- single writer serialises the count); the default context's row starts
-- where the AUTOINCREMENT sequence stood. The fingerprint stays globally
-- unique: outside the default context it includes the context.
--
-- schema_references.target is the referenced subject resolved in the
-- referencing schema's context; subject keeps it as the client sent it.

-- +goose Up
CREATE TABLE schema_contexts (
    context TEXT    PRIMARY KEY,
    last_id INTEGER NOT NULL CHECK (last_id > 0)
) STRICT;
INSERT INTO schema_contexts (context, last_id)
SELECT '.', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'schemas'), 0),
                coalesce((SELECT max(id) FROM schemas), 0))
WHERE EXISTS (SELECT 1 FROM schemas) OR EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'schemas' AND seq > 0);

CREATE TABLE schemas_new (
    context     TEXT    NOT NULL DEFAULT '.',
    id          INTEGER NOT NULL CHECK (id > 0),
    format      TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    metadata    TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    ruleset     TEXT CHECK (ruleset IS NULL OR json_valid(ruleset)),
    fingerprint TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (context, id)
) STRICT;
INSERT INTO schemas_new (context, id, format, text, metadata, ruleset, fingerprint, created_at)
SELECT '.', id, format, text, metadata, ruleset, fingerprint, created_at FROM schemas;

CREATE TABLE schema_references_new (
    context   TEXT    NOT NULL DEFAULT '.',
    schema_id INTEGER NOT NULL,
    ordinal   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (context, schema_id, ordinal),
    FOREIGN KEY (context, schema_id) REFERENCES schemas_new (context, id) ON DELETE CASCADE
) STRICT;
INSERT INTO schema_references_new (context, schema_id, ordinal, name, subject, target, version)
SELECT '.', schema_id, ordinal, name, subject,
       CASE WHEN subject LIKE ':.:%' THEN substr(subject, 4) ELSE subject END, version
FROM schema_references;

CREATE TABLE subject_versions_new (
    subject    TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    context    TEXT    NOT NULL DEFAULT '.',
    schema_id  INTEGER NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at TEXT    NOT NULL,
    PRIMARY KEY (subject, version),
    FOREIGN KEY (context, schema_id) REFERENCES schemas_new (context, id)
) STRICT;
INSERT INTO subject_versions_new (subject, version, context, schema_id, deleted, created_at)
SELECT subject, version, '.', schema_id, deleted, created_at FROM subject_versions;

DROP TABLE subject_versions;
DROP TABLE schema_references;
DROP TABLE schemas;
ALTER TABLE schemas_new RENAME TO schemas;
ALTER TABLE schema_references_new RENAME TO schema_references;
ALTER TABLE subject_versions_new RENAME TO subject_versions;

CREATE INDEX schema_references_target ON schema_references (target, version);
CREATE UNIQUE INDEX subject_versions_live_schema
    ON subject_versions (subject, schema_id) WHERE deleted = 0;
CREATE INDEX subject_versions_schema_id ON subject_versions (context, schema_id);
CREATE INDEX subject_versions_context ON subject_versions (context);

-- +goose Down
-- Only the default context survives going back.
CREATE TABLE schemas_old (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    format      TEXT NOT NULL,
    text        TEXT NOT NULL,
    metadata    TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    ruleset     TEXT CHECK (ruleset IS NULL OR json_valid(ruleset)),
    fingerprint TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO schemas_old (id, format, text, metadata, ruleset, fingerprint, created_at)
SELECT id, format, text, metadata, ruleset, fingerprint, created_at FROM schemas WHERE context = '.';
CREATE TABLE schema_references_old (
    schema_id INTEGER NOT NULL REFERENCES schemas_old (id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (schema_id, ordinal)
) STRICT;
INSERT INTO schema_references_old (schema_id, ordinal, name, subject, version)
SELECT schema_id, ordinal, name, subject, version FROM schema_references WHERE context = '.';
CREATE TABLE subject_versions_old (
    subject    TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    schema_id  INTEGER NOT NULL REFERENCES schemas_old (id),
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at TEXT    NOT NULL,
    PRIMARY KEY (subject, version)
) STRICT;
INSERT INTO subject_versions_old (subject, version, schema_id, deleted, created_at)
SELECT subject, version, schema_id, deleted, created_at FROM subject_versions WHERE context = '.';
DROP TABLE subject_versions;
DROP TABLE schema_references;
DROP TABLE schemas;
ALTER TABLE schemas_old RENAME TO schemas;
ALTER TABLE schema_references_old RENAME TO schema_references;
ALTER TABLE subject_versions_old RENAME TO subject_versions;
CREATE INDEX schema_references_target ON schema_references (subject, version);
CREATE UNIQUE INDEX subject_versions_live_schema
    ON subject_versions (subject, schema_id) WHERE deleted = 0;
CREATE INDEX subject_versions_schema_id ON subject_versions (schema_id);
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT last_id FROM schema_contexts WHERE context = '.'), 0))
 WHERE name = 'schemas';
DROP TABLE schema_contexts;
