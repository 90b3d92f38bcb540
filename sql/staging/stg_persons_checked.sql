-- Every raw person (nominal) row, parsed, with the first reason it cannot be used (NULL = usable)
-- and, for usable rows, whether it is the current version (newest extract holding the id).
CREATE OR REPLACE TABLE stg_persons_checked AS
-- (numbered is read twice but not materialized: without rejected CSV rows the second read is
-- empty; typed is materialized so that the parsing runs once per row, not once per reader.)
WITH numbered AS NOT MATERIALIZED (
    SELECT r.*, r.rowid AS raw_rowid, f.extract_seq, r.rowid - f.first_rowid + 1 AS k,
           f.rows_read > f.raw_rows AS has_gaps
    FROM raw_persons r JOIN raw_files f USING (file_id)
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
        extract_id(person_id) AS person_id,
        extract_id(surname) AS surname,
        extract_id(forenames) AS forenames,
        extract_date(date_of_birth) AS date_of_birth,
        extract_id(date_of_birth) IS NOT NULL AS dob_given,
        extract_enum(gender) AS gender_text,
        nullif(upper(replace(trim(pnc_id), ' ', '')), '') AS pnc_id
    FROM positioned
),
typed AS MATERIALIZED (
    SELECT * EXCLUDE (gender_text, dob_given),
        CASE WHEN gender_text IN ('female', 'f') THEN 'female'
             WHEN gender_text IN ('male', 'm') THEN 'male'
             WHEN gender_text = 'other' THEN 'other'
             ELSE 'unknown' END AS gender,
        dob_given AND date_of_birth IS NULL AS dob_invalid,
        gender_text IS NOT NULL
            AND gender_text NOT IN ('female', 'male', 'other', 'unknown', 'f', 'm') AS gender_invalid,
        CASE WHEN person_id IS NULL THEN 'missing_person_id' END AS row_reason
    FROM parsed
),
repeated_keys AS (
    SELECT hash(file_id, person_id) AS key_hash
    FROM typed WHERE row_reason IS NULL
    GROUP BY key_hash HAVING count(*) > 1
),
repeated AS (
    SELECT t.file_id, t.person_id,
           count(DISTINCT (t.surname, t.forenames, t.date_of_birth, t.gender, t.pnc_id)) AS versions,
           min(t.source_row) AS first_row
    FROM typed t
    WHERE t.row_reason IS NULL AND hash(t.file_id, t.person_id) IN (SELECT key_hash FROM repeated_keys)
    GROUP BY t.file_id, t.person_id
    HAVING count(*) > 1
),
reasoned AS (
    SELECT t.* EXCLUDE (row_reason, dob_invalid, gender_invalid),
        coalesce(
            t.row_reason,
            CASE WHEN d.versions > 1 THEN 'duplicate_person_id'
                 WHEN d.first_row < t.source_row THEN 'duplicate_row' END
        ) AS reason,
        list_filter([
            CASE WHEN t.dob_invalid THEN 'date_of_birth_unparseable' END,
            CASE WHEN t.gender_invalid THEN 'gender_invalid' END
        ], lambda x: x IS NOT NULL) AS issues
    FROM typed t
    LEFT JOIN repeated d ON t.row_reason IS NULL AND d.file_id = t.file_id AND d.person_id = t.person_id
),
superseded AS (
    SELECT person_id, max(extract_seq) AS latest_seq
    FROM reasoned WHERE reason IS NULL
    GROUP BY person_id HAVING min(extract_seq) < max(extract_seq)
)
SELECT
    r.*,
    CASE WHEN r.reason IS NULL THEN s.latest_seq IS NULL OR r.extract_seq = s.latest_seq END AS is_current
FROM reasoned r
LEFT JOIN superseded s ON r.reason IS NULL AND s.person_id = r.person_id
