-- The latest earlier run of the same source on different input files (a re-run of the same
-- files is not a new delivery, so it is skipped), for the volume-change checks.
SELECT run_id, recorded_at, incidents_used, persons_used, involvements_used
FROM ops_quality_history
WHERE source = $source AND fingerprint <> $fingerprint AND run_id <> $run_id
ORDER BY recorded_at DESC
LIMIT 1
