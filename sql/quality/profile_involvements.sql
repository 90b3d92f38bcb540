-- Data-quality measures of involvements, as one row (validated by the GX suite
-- expectations/stg_involvements.json). For each check: the failing rows (column named after
-- the check) and up to $max_ids failing ids (`<check>__ids`: incident_id/person_id, the
-- unknown incident or person id, or extract/file:row when an id is missing). Id strings are
-- built only for failing rows, so memory stays flat at any size.
WITH quarantined AS (
    SELECT c.reason, c.incident_id, c.person_id, c.file_id, c.source_row,
           c.incident_id || '/' || c.person_id AS pair,
           f.extract_name || '/' || regexp_extract(f.path, '[^/\\]+$') || ':' || c.source_row AS row_ref
    FROM stg_involvements_checked c JOIN raw_files f USING (file_id)
    WHERE c.reason IS NOT NULL
),
read_measures AS (
    SELECT
        count(*) FILTER (WHERE reason IN ('missing_incident_id', 'missing_person_id')) AS ids_present,
        arg_min(row_ref, [file_id, source_row], $max_ids)
            FILTER (WHERE reason IN ('missing_incident_id', 'missing_person_id')) AS ids_present__ids,
        count(*) FILTER (WHERE reason IN ('missing_role', 'unknown_role')) AS role_valid,
        min(pair, $max_ids) FILTER (WHERE reason IN ('missing_role', 'unknown_role')) AS role_valid__ids,
        count(*) FILTER (WHERE reason = 'orphan_incident') AS incident_known,
        count(*) FILTER (WHERE reason = 'orphan_person') AS person_known,
        count(*) FILTER (WHERE reason = 'duplicate_involvement') AS no_conflicting_duplicates
    FROM quarantined
),
distinct_ids AS (
    SELECT
        (SELECT min(incident_id, $max_ids) FROM (SELECT DISTINCT incident_id FROM quarantined WHERE reason = 'orphan_incident'))
            AS incident_known__ids,
        (SELECT min(person_id, $max_ids) FROM (SELECT DISTINCT person_id FROM quarantined WHERE reason = 'orphan_person'))
            AS person_known__ids,
        (SELECT min(pair, $max_ids) FROM (SELECT DISTINCT pair FROM quarantined WHERE reason = 'duplicate_involvement'))
            AS no_conflicting_duplicates__ids
),
usable_incidents AS (SELECT DISTINCT incident_id FROM stg_incidents_checked WHERE reason IS NULL),
usable_persons AS (SELECT DISTINCT person_id FROM stg_persons_checked WHERE reason IS NULL),
usable AS (
    SELECT v.incident_id, v.person_id,
           list_contains(v.issues, 'relationship_invalid') AS bad_relationship,
           i.incident_id IS NULL OR p.person_id IS NULL AS unresolved
    FROM stg_involvements v
    LEFT JOIN usable_incidents i ON i.incident_id = v.incident_id
    LEFT JOIN usable_persons p ON p.person_id = v.person_id
    WHERE v.is_current
),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        count(*) FILTER (WHERE bad_relationship) AS relationship_valid,
        min(CASE WHEN bad_relationship THEN incident_id || '/' || person_id END, $max_ids) AS relationship_valid__ids,
        count(*) FILTER (WHERE unresolved) AS usable_refs_resolve,
        min(CASE WHEN unresolved THEN incident_id || '/' || person_id END, $max_ids) AS usable_refs_resolve__ids
    FROM usable
)
SELECT * FROM read_measures, distinct_ids, usable_measures
