-- Schema contexts (Confluent's): a subject ":.ctx:name" lives in context
-- ".ctx", every other subject in the default context ".". Schema ids are
-- unique per context, so schemas are keyed by (context, id) and the rows
-- that point at a schema carry its context. Existing rows are the default
-- context, which keeps the identity sequence; every other context counts
-- its ids in schema_contexts, whose row lock serialises the writers of one
-- context. The fingerprint stays globally unique: outside the default
-- context it includes the context, so the same text registered in two
-- contexts is two schemas.
--
-- schema_references.target is the referenced subject resolved in the
-- referencing schema's context (an unqualified reference names a subject
-- of that context); subject keeps the reference as the client sent it.

-- +goose Up
ALTER TABLE schemas ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE subject_versions ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE schema_references ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE schema_references ADD COLUMN target text COLLATE "C";
UPDATE schema_references
   SET target = CASE WHEN subject LIKE ':.:%' THEN substr(subject, 4) ELSE subject END;
ALTER TABLE schema_references ALTER COLUMN target SET NOT NULL;

ALTER TABLE schema_references DROP CONSTRAINT schema_references_schema_id_fkey;
ALTER TABLE subject_versions DROP CONSTRAINT subject_versions_schema_id_fkey;
ALTER TABLE schema_references DROP CONSTRAINT schema_references_pkey;
ALTER TABLE schemas DROP CONSTRAINT schemas_pkey;
ALTER TABLE schemas ADD PRIMARY KEY (context, id);
ALTER TABLE schema_references ADD PRIMARY KEY (context, schema_id, ordinal);
ALTER TABLE schema_references ADD CONSTRAINT schema_references_schema_fkey
    FOREIGN KEY (context, schema_id) REFERENCES schemas (context, id) ON DELETE CASCADE;
ALTER TABLE subject_versions ADD CONSTRAINT subject_versions_schema_fkey
    FOREIGN KEY (context, schema_id) REFERENCES schemas (context, id);

DROP INDEX schema_references_target;
CREATE INDEX schema_references_target ON schema_references (target, version);
DROP INDEX subject_versions_schema_id;
CREATE INDEX subject_versions_schema_id ON subject_versions (context, schema_id);
CREATE INDEX subject_versions_context ON subject_versions (context);

-- The last id handed out in each context but the default one.
CREATE TABLE schema_contexts (
    context text   COLLATE "C" PRIMARY KEY,
    last_id bigint NOT NULL CHECK (last_id > 0)
);

-- +goose Down
-- Only the default context survives going back.
DELETE FROM subject_versions WHERE context <> '.';
DELETE FROM schemas WHERE context <> '.';
DROP TABLE schema_contexts;
DROP INDEX subject_versions_context;
DROP INDEX subject_versions_schema_id;
CREATE INDEX subject_versions_schema_id ON subject_versions (schema_id);
DROP INDEX schema_references_target;
CREATE INDEX schema_references_target ON schema_references (subject, version);
ALTER TABLE subject_versions DROP CONSTRAINT subject_versions_schema_fkey;
ALTER TABLE schema_references DROP CONSTRAINT schema_references_schema_fkey;
ALTER TABLE schema_references DROP CONSTRAINT schema_references_pkey;
ALTER TABLE schemas DROP CONSTRAINT schemas_pkey;
ALTER TABLE schemas ADD PRIMARY KEY (id);
ALTER TABLE schema_references ADD PRIMARY KEY (schema_id, ordinal);
ALTER TABLE schema_references ADD CONSTRAINT schema_references_schema_id_fkey
    FOREIGN KEY (schema_id) REFERENCES schemas (id) ON DELETE CASCADE;
ALTER TABLE subject_versions ADD CONSTRAINT subject_versions_schema_id_fkey
    FOREIGN KEY (schema_id) REFERENCES schemas (id);
ALTER TABLE schema_references DROP COLUMN target;
ALTER TABLE schema_references DROP COLUMN context;
ALTER TABLE subject_versions DROP COLUMN context;
ALTER TABLE schemas DROP COLUMN context;
