-- The files whose rows the stg_*_checked tables hold, as the run that built them numbered and
-- ordered them, and the fingerprint of the code that built them (pipeline/ingest/stage.py). A
-- run whose files are these, unchanged, followed by newer extracts appends to the tables.
CREATE TABLE IF NOT EXISTS stg_built_files (
    file_id INTEGER NOT NULL,
    extract_seq INTEGER NOT NULL,
    file_key VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL
)
