-- Every incident row of the run's files, parsed, with the first reason it cannot be used (NULL =
-- usable) and, for usable rows, whether it is the current version (from the newest extract
-- holding the id). The parsing and the checks within each file are kept per file
-- (sql/cache/keep_incidents.sql); the run's order of the files (extract_seq) is joined on.
CREATE OR REPLACE TABLE stg_incidents_checked AS
WITH checked AS (
    SELECT f.file_id, f.extract_seq, c.source_row, c.incident_id, c.occurred_date, c.record_type,
           c.offence_code, c.dash_risk, c.domestic_abuse_flag, c.area, c.reason, c.issues
    FROM cache_incidents c JOIN raw_files f USING (file_key)
)
FROM stg_current('checked', 'incident_id')
