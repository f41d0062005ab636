-- Initial registry schema: schemas and their references, subject versions,
-- per-subject (and global, subject '') config and mode.
--
-- Times are TEXT in UTC RFC 3339. The store writes a fixed-width form with
-- microseconds (2006-01-02T15:04:05.000000Z) so that times sort as they
-- read; the column defaults (milliseconds) serve rows written by hand.
-- Booleans are INTEGER 0 or 1.

-- +goose Up
-- AUTOINCREMENT: an id is never handed out twice, and an explicit id (IMPORT
-- mode) moves the sequence past it.
CREATE TABLE schemas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    format      TEXT NOT NULL,
    text        TEXT NOT NULL,
    metadata    TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    ruleset     TEXT CHECK (ruleset IS NULL OR json_valid(ruleset)),
    fingerprint TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE schema_references (
    schema_id INTEGER NOT NULL REFERENCES schemas (id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (schema_id, ordinal)
) STRICT;

-- Referenced-by lookups go from subject/version to referencing schemas.
CREATE INDEX schema_references_target ON schema_references (subject, version);

CREATE TABLE subject_versions (
    subject    TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    schema_id  INTEGER NOT NULL REFERENCES schemas (id),
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at TEXT    NOT NULL,
    PRIMARY KEY (subject, version)
) STRICT;

-- A schema is live at most once per subject; a soft-deleted version does not
-- stop the same schema from being registered again.
CREATE UNIQUE INDEX subject_versions_live_schema
    ON subject_versions (subject, schema_id) WHERE deleted = 0;
CREATE INDEX subject_versions_schema_id ON subject_versions (schema_id);

-- One row per subject with a config; subject '' holds the global config.
-- NULL columns are unset and inherit.
CREATE TABLE configs (
    subject                 TEXT PRIMARY KEY,
    compatibility           TEXT CHECK (compatibility IN (
        'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD',
        'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE')),
    additive_only           INTEGER CHECK (additive_only IN (0, 1)),
    normalize               INTEGER CHECK (normalize IN (0, 1)),
    min_deprecation_seconds INTEGER CHECK (min_deprecation_seconds >= 0),
    consumer_breakage       TEXT,
    updated_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- One row per subject with a mode; subject '' holds the global mode.
CREATE TABLE modes (
    subject    TEXT PRIMARY KEY,
    mode       TEXT NOT NULL CHECK (mode IN ('READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- +goose Down
DROP TABLE modes;
DROP TABLE configs;
DROP TABLE subject_versions;
DROP TABLE schema_references;
DROP TABLE schemas;
