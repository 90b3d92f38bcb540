-- Key figures of every data-quality assessment, kept across runs (the raw and staging tables
-- are rebuilt on every run, this table is not): the volume check compares with the previous
-- run of the same source and the report shows the trend. Counts only, no row values.
CREATE TABLE IF NOT EXISTS ops_quality_history (
    run_id VARCHAR PRIMARY KEY,
    recorded_at TIMESTAMP NOT NULL,
    as_of DATE,
    source VARCHAR NOT NULL,            -- folder holding the newest extract (e.g. the landing folder)
    fingerprint VARCHAR NOT NULL,       -- sha256 over the sha256 of every input file, in order
    extracts VARCHAR[],                 -- extract folder names, oldest first
    verdict VARCHAR NOT NULL,           -- pass | warn | fail
    errors_failed INTEGER NOT NULL,
    warnings_failed INTEGER NOT NULL,
    listed INTEGER,                     -- perpetrators on the list (NULL when not computed)
    incidents_read BIGINT, incidents_loaded BIGINT, incidents_quarantined BIGINT, incidents_used BIGINT,
    persons_read BIGINT, persons_loaded BIGINT, persons_quarantined BIGINT, persons_used BIGINT,
    involvements_read BIGINT, involvements_loaded BIGINT, involvements_quarantined BIGINT, involvements_used BIGINT
)
