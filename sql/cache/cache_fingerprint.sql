-- The fingerprint (pipeline/ingest/cache.py) of the code and contract that made the kept tables:
-- when it changes, the cache_* tables are dropped and made again, so that a version that changes
-- their columns starts from tables with its own columns.
CREATE TABLE IF NOT EXISTS cache_fingerprint (fingerprint VARCHAR)
