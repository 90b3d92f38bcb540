-- Parse and check the person (nominal) rows of the files read in this run and keep them: every
-- row with the first reason it cannot be used (NULL = usable) as far as its own file tells, and
-- its values as read (raw_*). Bad optional values become unknown and are listed in `issues`.
-- (Row positions and duplicates: the macros stg_positioned and stg_deduplicated; raw and typed
-- as in sql/cache/keep_incidents.sql.)
INSERT INTO cache_persons BY NAME
WITH raw AS NOT MATERIALIZED (
    SELECT rowid AS raw_rowid, *, COLUMNS(* EXCLUDE (file_id)) AS 'raw_\0' FROM raw_persons
),
parsed AS (
    SELECT
        file_id, source_row, COLUMNS('^raw_'),
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
        CASE WHEN person_id IS NULL THEN 'missing_person_id'
             WHEN invalid_id(person_id) THEN 'invalid_id' END AS row_reason
    FROM parsed
)
SELECT
    f.file_key, d.* EXCLUDE (file_id, raw_rowid, row_reason, dob_invalid, gender_invalid),
    list_filter([
        CASE WHEN d.dob_invalid THEN 'date_of_birth_unparseable' END,
        CASE WHEN d.gender_invalid THEN 'gender_invalid' END
    ], lambda x: x IS NOT NULL) AS issues
FROM stg_deduplicated(
    'typed', ['person_id'], ['surname', 'forenames', 'date_of_birth', 'gender', 'pnc_id'],
    'duplicate_person_id'
) d
JOIN raw_files f USING (file_id)
