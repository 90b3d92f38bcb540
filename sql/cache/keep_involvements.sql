-- Parse and check the involvement rows of the files read in this run and keep them, with their
-- values as read (raw_*): `row_reason`, the first reason a row cannot be used on its own (NULL =
-- usable), and `reason`, that or a duplicate within the file (the same person in the same role
-- twice with different details is a duplicate_involvement). Whether the incident and the
-- person were loaded depends on the run's other files: sql/staging/stg_involvements_checked.sql.
-- (The rows of one duplicate group share the incident and the person, so they are all loaded
-- or all orphans: finding duplicates before knowing that gives the same reasons.)
INSERT INTO cache_involvements BY NAME
WITH raw AS NOT MATERIALIZED (
    SELECT rowid AS raw_rowid, *, COLUMNS(* EXCLUDE (file_id)) AS 'raw_\0' FROM raw_involvements
),
parsed AS (
    SELECT
        file_id, source_row, COLUMNS('^raw_'),
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
        END AS row_reason
    FROM parsed p
)
SELECT
    f.file_key, d.* EXCLUDE (file_id, raw_rowid, relationship_invalid),
    list_filter([CASE WHEN d.relationship_invalid THEN 'relationship_invalid' END],
                lambda x: x IS NOT NULL) AS issues
FROM stg_deduplicated(
    'typed', ['incident_id', 'person_id', 'role'], ['relationship'], 'duplicate_involvement'
) d
JOIN raw_files f USING (file_id)
