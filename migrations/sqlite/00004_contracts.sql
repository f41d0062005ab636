-- Data contracts on config: Confluent's defaultMetadata, overrideMetadata,
-- defaultRuleSet, overrideRuleSet (merged into every registration),
-- validateFields (reserved-field checks), alias (a subject that reads and
-- writes another) and compatibilityGroup (the metadata property that
-- partitions a subject's history for compatibility checks).
-- NULL columns are unset and inherit, as the other config columns.

-- +goose Up
ALTER TABLE configs ADD COLUMN validate_fields INTEGER CHECK (validate_fields IN (0, 1));
ALTER TABLE configs ADD COLUMN alias TEXT;
ALTER TABLE configs ADD COLUMN compatibility_group TEXT;
ALTER TABLE configs ADD COLUMN default_metadata TEXT CHECK (default_metadata IS NULL OR json_valid(default_metadata));
ALTER TABLE configs ADD COLUMN override_metadata TEXT CHECK (override_metadata IS NULL OR json_valid(override_metadata));
ALTER TABLE configs ADD COLUMN default_ruleset TEXT CHECK (default_ruleset IS NULL OR json_valid(default_ruleset));
ALTER TABLE configs ADD COLUMN override_ruleset TEXT CHECK (override_ruleset IS NULL OR json_valid(override_ruleset));

-- +goose Down
ALTER TABLE configs DROP COLUMN override_ruleset;
ALTER TABLE configs DROP COLUMN default_ruleset;
ALTER TABLE configs DROP COLUMN override_metadata;
ALTER TABLE configs DROP COLUMN default_metadata;
ALTER TABLE configs DROP COLUMN compatibility_group;
ALTER TABLE configs DROP COLUMN alias;
ALTER TABLE configs DROP COLUMN validate_fields;
