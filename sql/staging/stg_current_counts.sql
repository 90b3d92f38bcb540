-- Usable rows that are the current version (after newer extracts superseded older ones).
SELECT 'incidents' AS table_name, count(*) FILTER (WHERE is_current) AS rows_current,
       count(*) FILTER (WHERE NOT is_current) AS rows_superseded FROM stg_incidents
UNION ALL
SELECT 'persons', count(*) FILTER (WHERE is_current), count(*) FILTER (WHERE NOT is_current) FROM stg_persons
UNION ALL
SELECT 'involvements', count(*) FILTER (WHERE is_current), count(*) FILTER (WHERE NOT is_current) FROM stg_involvements
