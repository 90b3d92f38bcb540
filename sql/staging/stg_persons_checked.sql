-- Every raw person (nominal) row, parsed, with the first reason it cannot be used (NULL = usable)
-- and, for usable rows, whether it is the current version (newest extract holding the id).
-- (Row positions, duplicates and supersession: the macros stg_positioned and stg_checked.)
CREATE OR REPLACE TABLE stg_persons_checked AS
-- (raw hands the rowid to the macro; not materialized: it is read twice, the second read
-- empty without rejected CSV rows. typed is materialized so that the parsing runs once per
-- row, not once per reader.)
WITH raw AS NOT MATERIALIZED (SELECT rowid AS raw_rowid, * FROM raw_persons),
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
    FROM stg_positioned('raw', 'stg_row_gaps')
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
)
SELECT
    * EXCLUDE (dob_invalid, gender_invalid, is_current),
    list_filter([
        CASE WHEN dob_invalid THEN 'date_of_birth_unparseable' END,
        CASE WHEN gender_invalid THEN 'gender_invalid' END
    ], lambda x: x IS NOT NULL) AS issues,
    is_current
FROM stg_checked(
    'typed', ['person_id'], ['surname', 'forenames', 'date_of_birth', 'gender', 'pnc_id'],
    'duplicate_person_id', 'person_id'
)
