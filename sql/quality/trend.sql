-- The last $runs runs of a source, one per set of input files (the latest run of each), oldest
-- first: the trend section of the data-quality report.
SELECT * FROM (
    SELECT run_id, recorded_at, as_of, extracts, verdict, errors_failed, warnings_failed, listed,
           incidents_read, incidents_loaded, incidents_quarantined, incidents_used,
           persons_read, persons_loaded, persons_quarantined, persons_used,
           involvements_read, involvements_loaded, involvements_quarantined, involvements_used
    FROM ops_quality_history
    WHERE source = $source
    QUALIFY row_number() OVER (PARTITION BY fingerprint ORDER BY recorded_at DESC) = 1
    ORDER BY recorded_at DESC
    LIMIT $runs
)
ORDER BY recorded_at
