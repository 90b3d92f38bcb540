-- Rows per table and reason (NULL reason = loaded), including rows the CSV reader rejected.
WITH counted AS (
    SELECT 'incidents' AS table_name, reason, count(*) AS rows FROM stg_incidents_checked GROUP BY ALL
    UNION ALL
    SELECT 'persons', reason, count(*) FROM stg_persons_checked GROUP BY ALL
    UNION ALL
    SELECT 'involvements', reason, count(*) FROM stg_involvements_checked GROUP BY ALL
    UNION ALL
    SELECT f.table_name, 'malformed_row', count(*)
    FROM cache_malformed_rows m JOIN raw_files f USING (file_key) GROUP BY ALL
)
SELECT table_name, reason, rows FROM counted ORDER BY table_name, reason NULLS FIRST
