-- Every raw involvement row, parsed, with the first reason it cannot be used (NULL = usable).
-- An involvement must point at an incident and a person loaded from the extracts of this run.
-- An incident's involvements come from the newest extract that lists any for it (`is_current`):
-- a newer extract's list of who was involved replaces the older list whole.
-- (Row positions, duplicates and supersession: the macros stg_positioned and stg_checked; the
-- same person in the same role twice with different details is a duplicate_involvement.)
CREATE OR REPLACE TABLE stg_involvements_checked AS
-- (raw hands the rowid to the macro; not materialized: it is read twice, the second read
-- empty without rejected CSV rows.)
WITH raw AS NOT MATERIALIZED (SELECT rowid AS raw_rowid, * FROM raw_involvements),
parsed AS (
    SELECT
        file_id, extract_seq, source_row, raw_rowid,
        extract_id(incident_id) AS incident_id,
        extract_id(person_id) AS person_id,
        extract_enum(role) AS role,
        extract_enum(relationship) AS relationship_text
    FROM stg_positioned('raw', 'stg_row_gaps')
),
typed AS (
    SELECT p.* EXCLUDE (relationship_text),
        CASE WHEN p.relationship_text IS NULL THEN NULL
             WHEN p.relationship_text IN ('partner', 'ex_partner', 'family', 'other', 'unknown')
             THEN p.relationship_text ELSE 'unknown' END AS relationship,
        p.relationship_text IS NOT NULL
            AND p.relationship_text NOT IN ('partner', 'ex_partner', 'family', 'other', 'unknown')
            AS relationship_invalid,
        CASE
            WHEN p.incident_id IS NULL THEN 'missing_incident_id'
            WHEN p.person_id IS NULL THEN 'missing_person_id'
            WHEN p.role IS NULL THEN 'missing_role'
            WHEN p.role NOT IN ('suspect', 'offender', 'victim', 'witness', 'other') THEN 'unknown_role'
            WHEN p.incident_id NOT IN (SELECT incident_id FROM stg_incidents_checked WHERE reason IS NULL)
                THEN 'orphan_incident'
            WHEN p.person_id NOT IN (SELECT person_id FROM stg_persons_checked WHERE reason IS NULL)
                THEN 'orphan_person'
        END AS row_reason
    FROM parsed p
)
SELECT
    * EXCLUDE (relationship_invalid, is_current),
    list_filter([CASE WHEN relationship_invalid THEN 'relationship_invalid' END],
                lambda x: x IS NOT NULL) AS issues,
    is_current
FROM stg_checked(
    'typed', ['incident_id', 'person_id', 'role'], ['relationship'],
    'duplicate_involvement', 'incident_id'
)
