-- Record the fingerprint the kept tables are made under (replaces the one before).
CREATE OR REPLACE TABLE cache_fingerprint AS SELECT $fingerprint::VARCHAR AS fingerprint
