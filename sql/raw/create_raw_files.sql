-- One row per file read. Re-created on every ingest: a run depends only on the extracts it names.
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
    first_rowid BIGINT NOT NULL,        -- rowid of the file's first row in its raw table
    rows_read BIGINT,                   -- rows in the file (loaded to raw + malformed)
    raw_rows BIGINT,                    -- rows appended to the raw table
    extra_columns VARCHAR[]             -- columns present but not in the contract (kept in the source, unused)
)
