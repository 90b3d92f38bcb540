-- Every raw involvement row, parsed, with the first reason it cannot be used (NULL = usable).
-- An involvement must point at an incident and a person loaded from the extracts of this run.
CREATE OR REPLACE TABLE stg_involvements_checked AS
WITH numbered AS (
    SELECT r.*, f.extract_seq, r.rowid - f.first_rowid + 1 AS k
    FROM raw_involvements r JOIN raw_files f USING (file_id)
),
positioned AS (
    SELECT n.*, n.k + coalesce(g.gaps_so_far, 0) AS source_row
    FROM numbered n ASOF LEFT JOIN stg_row_gaps g ON n.file_id = g.file_id AND n.k > g.good_before
),
known_incidents AS (SELECT DISTINCT incident_id FROM stg_incidents_checked WHERE reason IS NULL),
known_persons AS (SELECT DISTINCT person_id FROM stg_persons_checked WHERE reason IS NULL),
typed AS (
    SELECT
        p.file_id, p.extract_seq, p.source_row,
        extract_id(p.incident_id) AS incident_id,
        extract_id(p.person_id) AS person_id,
        extract_enum(p.role) AS role,
        extract_enum(p.relationship) AS relationship_text,
        ki.incident_id IS NOT NULL AS incident_known,
        kp.person_id IS NOT NULL AS person_known,
        p.incident_id AS raw_incident_id, p.person_id AS raw_person_id,
        p.role AS raw_role, p.relationship AS raw_relationship
    FROM positioned p
    LEFT JOIN known_incidents ki ON ki.incident_id = extract_id(p.incident_id)
    LEFT JOIN known_persons kp ON kp.person_id = extract_id(p.person_id)
),
reasoned AS (
    SELECT *,
        CASE
            WHEN incident_id IS NULL THEN 'missing_incident_id'
            WHEN person_id IS NULL THEN 'missing_person_id'
            WHEN role IS NULL THEN 'missing_role'
            WHEN role NOT IN ('suspect', 'offender', 'victim', 'witness', 'other') THEN 'unknown_role'
            WHEN NOT incident_known THEN 'orphan_incident'
            WHEN NOT person_known THEN 'orphan_person'
        END AS row_reason,
        CASE WHEN relationship_text IS NULL THEN NULL
             WHEN relationship_text IN ('partner', 'ex_partner', 'family', 'other', 'unknown')
             THEN relationship_text ELSE 'unknown' END AS relationship
    FROM typed
)
SELECT
    file_id, extract_seq, source_row, incident_id, person_id, role, relationship,
    list_filter([
        CASE WHEN relationship_text IS NOT NULL
              AND relationship_text NOT IN ('partner', 'ex_partner', 'family', 'other', 'unknown')
             THEN 'relationship_invalid' END
    ], lambda x: x IS NOT NULL) AS issues,
    coalesce(
        row_reason,
        CASE WHEN count(*) OVER same_key > count(*) OVER same_content THEN 'duplicate_involvement'
             WHEN row_number() OVER (same_key ORDER BY source_row) > 1 THEN 'duplicate_row' END
    ) AS reason,
    raw_incident_id, raw_person_id, raw_role, raw_relationship
FROM reasoned
WINDOW
    same_key AS (PARTITION BY file_id, row_reason IS NULL, incident_id, person_id, role),
    same_content AS (PARTITION BY file_id, row_reason IS NULL, incident_id, person_id, role,
                     relationship_text)
