CREATE OR REPLACE TABLE identity_kept_nominals AS
SELECT person_id, feature_hash FROM identity_nominal_hashes ORDER BY person_id
