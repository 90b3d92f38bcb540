-- Every raw person (nominal) row, parsed, with the first reason it cannot be used (NULL = usable).
CREATE OR REPLACE TABLE stg_persons_checked AS
WITH numbered AS (
    SELECT r.*, f.extract_seq, r.rowid - f.first_rowid + 1 AS k
    FROM raw_persons r JOIN raw_files f USING (file_id)
),
positioned AS (
    SELECT n.*, n.k + coalesce(g.gaps_so_far, 0) AS source_row
    FROM numbered n ASOF LEFT JOIN stg_row_gaps g ON n.file_id = g.file_id AND n.k > g.good_before
),
typed AS (
    SELECT
        file_id, extract_seq, source_row,
        extract_id(person_id) AS person_id,
        extract_id(surname) AS surname,
        extract_id(forenames) AS forenames,
        extract_date(date_of_birth) AS date_of_birth,
        extract_id(date_of_birth) IS NOT NULL AND extract_date(date_of_birth) IS NULL AS dob_invalid,
        extract_enum(gender) AS gender_text,
        nullif(upper(regexp_replace(coalesce(pnc_id, ''), '\s+', '', 'g')), '') AS pnc_id,
        CASE WHEN extract_id(person_id) IS NULL THEN 'missing_person_id' END AS row_reason,
        person_id AS raw_person_id, surname AS raw_surname, forenames AS raw_forenames,
        date_of_birth AS raw_date_of_birth, gender AS raw_gender, pnc_id AS raw_pnc_id
    FROM positioned
)
SELECT
    file_id, extract_seq, source_row, person_id, surname, forenames, date_of_birth,
    CASE WHEN gender_text IS NULL THEN 'unknown'
         WHEN gender_text IN ('female', 'male', 'other', 'unknown') THEN gender_text
         WHEN gender_text IN ('f') THEN 'female'
         WHEN gender_text IN ('m') THEN 'male'
         ELSE 'unknown' END AS gender,
    pnc_id,
    list_filter([
        CASE WHEN dob_invalid THEN 'date_of_birth_unparseable' END,
        CASE WHEN gender_text IS NOT NULL
              AND gender_text NOT IN ('female', 'male', 'other', 'unknown', 'f', 'm')
             THEN 'gender_invalid' END
    ], lambda x: x IS NOT NULL) AS issues,
    coalesce(
        row_reason,
        CASE WHEN count(*) OVER same_id > count(*) OVER same_content THEN 'duplicate_person_id'
             WHEN row_number() OVER (same_id ORDER BY source_row) > 1 THEN 'duplicate_row' END
    ) AS reason,
    raw_person_id, raw_surname, raw_forenames, raw_date_of_birth, raw_gender, raw_pnc_id
FROM typed
WINDOW
    same_id AS (PARTITION BY file_id, row_reason IS NULL, person_id),
    same_content AS (PARTITION BY file_id, row_reason IS NULL, person_id, surname, forenames,
                     date_of_birth, gender_text, pnc_id)
