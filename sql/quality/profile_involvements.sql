-- Data-quality measures of involvements, as one row (validated by the GX suite
-- expectations/stg_involvements.json): one column per check, named after it, built by the
-- macros of sql/quality/macros/ (failing rows and up to $max_ids failing ids:
-- incident_id/person_id, the unknown incident or person id, or extract/file:row when an id is
-- missing or invalid). Counts and ids only, never values.
WITH quarantined AS (
    SELECT *, incident_id || '/' || person_id AS pair FROM quarantined_rows('stg_involvements_checked')
),
read_measures AS (
    SELECT
        failing_first(reason IN ('missing_incident_id', 'missing_person_id'), row_ref, [file_id, source_row], $max_ids)
            AS ids_present,
        failing_first(reason = 'invalid_id', row_ref, [file_id, source_row], $max_ids) AS ids_valid,
        failing_rows(reason IN ('missing_role', 'unknown_role'), pair, $max_ids) AS role_valid,
        failing_distinct(reason = 'orphan_incident', incident_id, $max_ids) AS incident_known,
        failing_distinct(reason = 'orphan_person', person_id, $max_ids) AS person_known,
        failing_distinct(reason = 'duplicate_involvement', pair, $max_ids) AS no_conflicting_duplicates
    FROM quarantined
),
-- every id with a usable row has one current row (macro stg_current), so the current rows name
-- every usable id once: no DISTINCT over every version (2.5x faster at 3M incidents)
usable_incidents AS (SELECT incident_id FROM stg_incidents WHERE is_current),
usable_persons AS (SELECT person_id FROM stg_persons WHERE is_current),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        failing_rows(list_contains(v.issues, 'relationship_invalid'), v.incident_id || '/' || v.person_id, $max_ids)
            AS relationship_valid,
        failing_rows(i.incident_id IS NULL OR p.person_id IS NULL, v.incident_id || '/' || v.person_id, $max_ids)
            AS usable_refs_resolve
    FROM stg_involvements v
    LEFT JOIN usable_incidents i ON i.incident_id = v.incident_id
    LEFT JOIN usable_persons p ON p.person_id = v.person_id
    WHERE v.is_current
)
SELECT * FROM read_measures, usable_measures
