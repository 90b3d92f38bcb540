-- Every incident row of the run's files, parsed, with the first reason it cannot be used (NULL =
-- usable) and, for usable rows, whether it is the current version (from the newest extract
-- holding the id). The parsing and the checks within each file are kept per file
-- (sql/cache/keep_incidents.sql). A run that only adds newer extracts appends to this table
-- instead (sql/staging/append_incidents.sql, pipeline/ingest/stage.py).
CREATE OR REPLACE TABLE stg_incidents_checked AS
WITH checked AS (FROM stg_kept_rows('cache_incidents', 'raw_files'))
FROM stg_current('checked', 'incident_id')
