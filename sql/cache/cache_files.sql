-- The files whose rows are kept (cache_incidents, cache_persons, cache_involvements,
-- cache_malformed_rows), by `file_key`: the sha256 of the file's bytes, its table and the
-- fingerprint of the code and contract that read and checked it (pipeline/ingest/cache.py).
-- Kept across runs; a run keeps the files it names and forgets the others.
CREATE TABLE IF NOT EXISTS cache_files (
    file_key VARCHAR PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL          -- rows in the file (loaded + malformed)
)
