-- Consumers (downstream pipelines and what they read), deprecation records
-- and runtime schema usage.
--
-- Times are TEXT in UTC RFC 3339 with microseconds, as in 00001_init.sql.
-- Durations are INTEGER seconds. Lists and maps are JSON text.

-- +goose Up
CREATE TABLE consumers (
    name       TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    labels     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- One row per subject a consumer reads: a reader schema (format, text,
-- references, Protobuf message) or a list of field paths.
CREATE TABLE consumer_reads (
    consumer          TEXT    NOT NULL REFERENCES consumers (name) ON DELETE CASCADE,
    ordinal           INTEGER NOT NULL,
    subject           TEXT    NOT NULL,
    format            TEXT    NOT NULL DEFAULT '',
    reader_schema     TEXT    NOT NULL DEFAULT '',
    reader_references TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(reader_references)),
    message           TEXT    NOT NULL DEFAULT '',
    fields            TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(fields)),
    backfill_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (backfill_seconds >= 0),
    PRIMARY KEY (consumer, subject)
) STRICT;

-- Consumer-aware checks look consumers up by the subject they read.
CREATE INDEX consumer_reads_subject ON consumer_reads (subject);

-- Deprecations recorded through the API: a field (path), a version, or a
-- whole subject (path '' and version 0).
CREATE TABLE deprecations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject     TEXT    NOT NULL,
    path        TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    reason      TEXT    NOT NULL DEFAULT '',
    sunset      TEXT,
    replacement TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    UNIQUE (subject, path, version)
) STRICT;

-- Which client identity fetched which schema id: counts and times,
-- flushed in batches from memory.
CREATE TABLE schema_usage (
    schema_id  INTEGER NOT NULL,
    identity   TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    first_seen TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL,
    PRIMARY KEY (schema_id, identity)
) STRICT;

-- +goose Down
DROP TABLE schema_usage;
DROP TABLE deprecations;
DROP TABLE consumer_reads;
DROP TABLE consumers;
