-- Hashes that answer an idempotent re-registration without parsing it.
-- input_hash is a hash of the exact request that created the version
-- (format, text, references, contract, normalize); identity_hash and
-- normalized_hash hash the schema's identity and normalized forms with
-- its format and references. A re-registration finds the identity of its
-- own earlier request by (subject, input_hash) and answers with the latest
-- live version of that identity.
--
-- Versions registered before this migration start with NULL hashes:
-- computing them needs a parse, which SQL cannot do. The first
-- re-registration in such a subject parses, as before, and stores the
-- hashes it lacked; later ones need no parse.

-- +goose Up
ALTER TABLE subject_versions ADD COLUMN input_hash TEXT;
ALTER TABLE subject_versions ADD COLUMN identity_hash TEXT;
ALTER TABLE subject_versions ADD COLUMN normalized_hash TEXT;
CREATE INDEX subject_versions_input_hash ON subject_versions (subject, input_hash)
    WHERE input_hash IS NOT NULL;

-- +goose Down
DROP INDEX subject_versions_input_hash;
ALTER TABLE subject_versions DROP COLUMN normalized_hash;
ALTER TABLE subject_versions DROP COLUMN identity_hash;
ALTER TABLE subject_versions DROP COLUMN input_hash;
