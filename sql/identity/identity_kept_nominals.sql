-- Incremental linking: the hash of each nominal's comparison features when its kept pairs
-- were scored.
CREATE TABLE IF NOT EXISTS identity_kept_nominals (person_id VARCHAR, feature_hash UBIGINT)
