-- Data contracts on config: Confluent's defaultMetadata, overrideMetadata,
-- defaultRuleSet, overrideRuleSet (merged into every registration),
-- validateFields (reserved-field checks), alias (a subject that reads and
-- writes another) and compatibilityGroup (the metadata property that
-- partitions a subject's history for compatibility checks).
-- NULL columns are unset and inherit, as the other config columns.

-- +goose Up
ALTER TABLE configs
    ADD COLUMN validate_fields     boolean,
    ADD COLUMN alias               text COLLATE "C",
    ADD COLUMN compatibility_group text,
    -- json, not jsonb: stored as the registry canonicalised it.
    ADD COLUMN default_metadata    json,
    ADD COLUMN override_metadata   json,
    ADD COLUMN default_ruleset     json,
    ADD COLUMN override_ruleset    json;

-- +goose Down
ALTER TABLE configs
    DROP COLUMN override_ruleset,
    DROP COLUMN default_ruleset,
    DROP COLUMN override_metadata,
    DROP COLUMN default_metadata,
    DROP COLUMN compatibility_group,
    DROP COLUMN alias,
    DROP COLUMN validate_fields;
