-- The model this run scored with (JSON: comparisons and m/u parameters, no values), its hash
-- and where it came from ('file' = identity.model, 'trained' = estimated on this run's data).
CREATE OR REPLACE TABLE identity_model AS
SELECT $model_json::JSON AS model, $sha256 AS sha256, $source AS source
