-- Up to $per_reason sample source rows per table, file and reason (row numbers only, no values).
SELECT table_name, reason, source_file, list(source_row ORDER BY source_row)[1:$per_reason] AS sample_rows
FROM (
    SELECT 'incidents' AS table_name, reason, source_file, source_row FROM quarantine_incidents
    UNION ALL SELECT 'persons', reason, source_file, source_row FROM quarantine_persons
    UNION ALL SELECT 'involvements', reason, source_file, source_row FROM quarantine_involvements
    UNION ALL SELECT table_name, reason, source_file, source_row FROM quarantine_malformed_rows
)
GROUP BY ALL ORDER BY ALL
