-- PNC-only identity: no model.
CREATE OR REPLACE TABLE identity_model (model JSON, sha256 VARCHAR, source VARCHAR)
