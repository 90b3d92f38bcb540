-- One row per file of the run. Re-created on every ingest: a run depends only on the extracts it
-- names. Only the files not kept from an earlier run (`loaded`) are read into the raw tables.
CREATE OR REPLACE TABLE raw_files (
    file_id INTEGER PRIMARY KEY,
    extract_seq INTEGER NOT NULL,       -- 1 = oldest extract; later supersedes earlier
    extract_name VARCHAR NOT NULL,      -- folder name of the extract
    table_name VARCHAR NOT NULL,        -- incidents | persons | involvements
    path VARCHAR NOT NULL,
    file_format VARCHAR NOT NULL,       -- csv | parquet
    encoding VARCHAR,                   -- utf-8 | windows-1252 (csv only)
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    file_key VARCHAR NOT NULL,          -- sha256 + table + fingerprint (pipeline/ingest/cache.py)
    loaded BOOLEAN NOT NULL,            -- read in this run (else its rows were kept: sql/cache/)
    first_rowid BIGINT,                 -- rowid of the file's first row in its raw table (loaded)
    rows_read BIGINT,                   -- rows in the file (loaded to raw + malformed)
    raw_rows BIGINT,                    -- rows appended to the raw table (loaded)
    extra_columns VARCHAR[]             -- columns present but not in the contract (kept in the source, unused)
)
