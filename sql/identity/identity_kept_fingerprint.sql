-- Incremental linking: the fingerprint (pipeline.identity.incremental) the kept pairs were
-- made under.
CREATE TABLE IF NOT EXISTS identity_kept_fingerprint (fingerprint VARCHAR)
