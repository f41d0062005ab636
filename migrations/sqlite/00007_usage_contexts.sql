-- Runtime usage in every schema context: schema ids are unique per
-- context, so a usage row names the schema by (context, schema_id).
-- SQLite cannot change a primary key in place: the table is rebuilt,
-- existing rows becoming the default context's.

-- +goose Up
CREATE TABLE schema_usage_new (
    context    TEXT    NOT NULL DEFAULT '.',
    schema_id  INTEGER NOT NULL,
    identity   TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    first_seen TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL,
    PRIMARY KEY (context, schema_id, identity)
) STRICT;
INSERT INTO schema_usage_new (context, schema_id, identity, count, first_seen, last_seen)
SELECT '.', schema_id, identity, count, first_seen, last_seen FROM schema_usage;
DROP TABLE schema_usage;
ALTER TABLE schema_usage_new RENAME TO schema_usage;

-- +goose Down
-- Only the default context's usage survives going back.
CREATE TABLE schema_usage_old (
    schema_id  INTEGER NOT NULL,
    identity   TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    first_seen TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL,
    PRIMARY KEY (schema_id, identity)
) STRICT;
INSERT INTO schema_usage_old (schema_id, identity, count, first_seen, last_seen)
SELECT schema_id, identity, count, first_seen, last_seen FROM schema_usage WHERE context = '.';
DROP TABLE schema_usage;
ALTER TABLE schema_usage_old RENAME TO schema_usage;
