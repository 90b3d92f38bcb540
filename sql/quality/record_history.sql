INSERT OR REPLACE INTO ops_quality_history VALUES (
    $run_id, now()::TIMESTAMP, $as_of, $source, $fingerprint, $extracts, $verdict,
    $errors_failed, $warnings_failed, $listed,
    $incidents_read, $incidents_loaded, $incidents_quarantined, $incidents_used,
    $persons_read, $persons_loaded, $persons_quarantined, $persons_used,
    $involvements_read, $involvements_loaded, $involvements_quarantined, $involvements_used
)
