-- Runtime usage in every schema context: schema ids are unique per
-- context, so a usage row names the schema by (context, schema_id).
-- Existing rows were recorded for the default context.

-- +goose Up
ALTER TABLE schema_usage ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE schema_usage DROP CONSTRAINT schema_usage_pkey;
ALTER TABLE schema_usage ADD PRIMARY KEY (context, schema_id, identity);

-- +goose Down
-- Only the default context's usage survives going back.
DELETE FROM schema_usage WHERE context <> '.';
ALTER TABLE schema_usage DROP CONSTRAINT schema_usage_pkey;
ALTER TABLE schema_usage ADD PRIMARY KEY (schema_id, identity);
ALTER TABLE schema_usage DROP COLUMN context;
