-- Involvement rows (`kept`: stg_kept_rows of cache_involvements) with the first reason each
-- cannot be used (NULL = usable): what its own file tells (row_reason, reason: sql/cache/
-- keep_involvements.sql), then whether it points at an incident and a person loaded from the
-- run's extracts (`incidents`, `persons`: the stg_*_checked tables). An invalid id is never a usable
-- incident's or person's: only unknown ids are looked at.
CREATE OR REPLACE MACRO stg_involvement_reasons(kept, incidents, persons) AS TABLE
SELECT c.file_id, c.extract_seq, c.source_row, c.incident_id, c.person_id, c.role, c.relationship,
    CASE WHEN c.row_reason IS NOT NULL THEN c.reason
        WHEN c.incident_id NOT IN (SELECT incident_id FROM query_table(incidents) WHERE reason IS NULL)
            THEN CASE WHEN invalid_id(c.incident_id) THEN 'invalid_id' ELSE 'orphan_incident' END
        WHEN c.person_id NOT IN (SELECT person_id FROM query_table(persons) WHERE reason IS NULL)
            THEN CASE WHEN invalid_id(c.person_id) THEN 'invalid_id' ELSE 'orphan_person' END
        ELSE c.reason
    END AS reason,
    c.issues
FROM query_table(kept) c
