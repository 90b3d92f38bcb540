-- Every involvement row of the run's files, parsed, with the first reason it cannot be used
-- (NULL = usable). An involvement must point at an incident and a person loaded from the
-- extracts of this run (checked here, after what its own file tells: sql/cache/keep_involvements.sql).
-- An incident's involvements come from the newest extract that lists any for it (`is_current`):
-- a newer extract's list of who was involved replaces the older list whole.
CREATE OR REPLACE TABLE stg_involvements_checked AS
WITH checked AS (
    SELECT f.file_id, f.extract_seq, c.source_row, c.incident_id, c.person_id, c.role,
        c.relationship,
        CASE WHEN c.row_reason IS NOT NULL THEN c.reason
            -- an invalid id is never a usable incident's or person's: only unknown ids are looked at
            WHEN c.incident_id NOT IN (SELECT incident_id FROM stg_incidents_checked WHERE reason IS NULL)
                THEN CASE WHEN invalid_id(c.incident_id) THEN 'invalid_id' ELSE 'orphan_incident' END
            WHEN c.person_id NOT IN (SELECT person_id FROM stg_persons_checked WHERE reason IS NULL)
                THEN CASE WHEN invalid_id(c.person_id) THEN 'invalid_id' ELSE 'orphan_person' END
            ELSE c.reason
        END AS reason,
        c.issues
    FROM cache_involvements c JOIN raw_files f USING (file_key)
)
FROM stg_current('checked', 'incident_id')
