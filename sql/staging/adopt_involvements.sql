-- Involvements already held that were orphans (their incident or person unknown) are checked
-- again: a new extract may bring the incident or person. A row that becomes usable has
-- is_current unknown (NULL), settled by sql/staging/settle_involvements.sql.
UPDATE stg_involvements_checked t SET reason = a.reason
FROM (
    WITH orphans AS (
        SELECT file_id, source_row FROM stg_involvements_checked
        WHERE reason IN ('orphan_incident', 'orphan_person')
    ),
    kept AS (
        SELECT k.* FROM stg_kept_rows('cache_involvements', 'raw_files') k
        SEMI JOIN orphans o ON o.file_id = k.file_id AND o.source_row = k.source_row
    )
    FROM stg_involvement_reasons('kept', 'stg_incidents_checked', 'stg_persons_checked')
) a
WHERE t.file_id = a.file_id AND t.source_row = a.source_row AND t.reason IS DISTINCT FROM a.reason
