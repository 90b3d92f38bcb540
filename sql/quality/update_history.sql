-- The final verdict of a run, once the list suite has run.
UPDATE ops_quality_history
SET verdict = $verdict, errors_failed = $errors_failed, warnings_failed = $warnings_failed,
    listed = $listed
WHERE run_id = $run_id
