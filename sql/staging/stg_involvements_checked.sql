-- Every raw involvement row, parsed, with the first reason it cannot be used (NULL = usable).
-- An involvement must point at an incident and a person loaded from the extracts of this run.
-- An incident's involvements come from the newest extract that lists any for it (`is_current`):
-- a newer extract's list of who was involved replaces the older list whole.
CREATE OR REPLACE TABLE stg_involvements_checked AS
-- (numbered is read twice but not materialized: without rejected CSV rows the second read is
-- empty.)
WITH numbered AS NOT MATERIALIZED (
    SELECT r.*, r.rowid AS raw_rowid, f.extract_seq, r.rowid - f.first_rowid + 1 AS k,
           f.rows_read > f.raw_rows AS has_gaps
    FROM raw_involvements r JOIN raw_files f USING (file_id)
),
positioned AS (
    SELECT * EXCLUDE (has_gaps), k AS source_row FROM numbered WHERE NOT has_gaps
    UNION ALL
    SELECT n.* EXCLUDE (has_gaps), n.k + coalesce(g.gaps_so_far, 0)
    FROM numbered n ASOF LEFT JOIN stg_row_gaps g ON n.file_id = g.file_id AND n.k > g.good_before
    WHERE n.has_gaps
),
parsed AS (
    SELECT
        file_id, extract_seq, source_row, raw_rowid,
        extract_id(incident_id) AS incident_id,
        extract_id(person_id) AS person_id,
        extract_enum(role) AS role,
        extract_enum(relationship) AS relationship_text
    FROM positioned
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
),
repeated_keys AS (
    SELECT hash(file_id, incident_id, person_id, role) AS key_hash
    FROM typed WHERE row_reason IS NULL
    GROUP BY key_hash HAVING count(*) > 1
),
repeated AS (
    SELECT t.file_id, t.incident_id, t.person_id, t.role,
           count(DISTINCT coalesce(t.relationship, '')) AS versions,
           min(t.source_row) AS first_row
    FROM typed t
    WHERE t.row_reason IS NULL
      AND hash(t.file_id, t.incident_id, t.person_id, t.role) IN (SELECT key_hash FROM repeated_keys)
    GROUP BY t.file_id, t.incident_id, t.person_id, t.role
    HAVING count(*) > 1
),
reasoned AS (
    SELECT t.* EXCLUDE (row_reason, relationship_invalid),
        coalesce(
            t.row_reason,
            -- the same person in the same role twice with different details
            CASE WHEN d.versions > 1 THEN 'duplicate_involvement'
                 WHEN d.first_row < t.source_row THEN 'duplicate_row' END
        ) AS reason,
        list_filter([CASE WHEN t.relationship_invalid THEN 'relationship_invalid' END],
                    lambda x: x IS NOT NULL) AS issues
    FROM typed t
    LEFT JOIN repeated d
        ON t.row_reason IS NULL AND d.file_id = t.file_id AND d.incident_id = t.incident_id
       AND d.person_id = t.person_id AND d.role = t.role
),
superseded AS (
    SELECT incident_id, max(extract_seq) AS latest_seq
    FROM reasoned WHERE reason IS NULL
    GROUP BY incident_id HAVING min(extract_seq) < max(extract_seq)
)
SELECT
    r.*,
    CASE WHEN r.reason IS NULL THEN s.latest_seq IS NULL OR r.extract_seq = s.latest_seq END AS is_current
FROM reasoned r
LEFT JOIN superseded s ON r.reason IS NULL AND s.incident_id = r.incident_id
