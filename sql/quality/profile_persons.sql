-- Data-quality measures of persons (nominals), as one row (validated by the GX suite
-- expectations/stg_persons.json). For each check: the failing rows (column named after the
-- check) and up to $max_ids failing person ids (`<check>__ids`; extract/file:row when the id is
-- missing). Dates of birth are only compared here: no date, name or PNC id leaves this query.
WITH quarantined AS (
    SELECT c.reason, c.person_id, c.file_id, c.source_row,
           f.extract_name || '/' || regexp_extract(f.path, '[^/\\]+$') || ':' || c.source_row AS row_ref
    FROM stg_persons_checked c JOIN raw_files f USING (file_id)
    WHERE c.reason IS NOT NULL
),
read_measures AS (
    SELECT
        count(*) FILTER (WHERE reason = 'missing_person_id') AS id_present,
        arg_min(row_ref, [file_id, source_row], $max_ids)
            FILTER (WHERE reason = 'missing_person_id') AS id_present__ids,
        count(*) FILTER (WHERE reason = 'duplicate_person_id') AS id_unique
    FROM quarantined
),
duplicate_ids AS (
    SELECT min(person_id, $max_ids) AS id_unique__ids
    FROM (SELECT DISTINCT person_id FROM quarantined WHERE reason = 'duplicate_person_id')
),
incident_days AS (
    -- first and last day of the usable incidents each person is involved in
    SELECT v.person_id, min(i.occurred_date) AS first_day, max(i.occurred_date) AS last_day
    FROM stg_involvements v
    JOIN stg_incidents i ON i.incident_id = v.incident_id AND i.is_current
    WHERE v.is_current
    GROUP BY v.person_id
),
usable AS (
    SELECT p.person_id,
           p.date_of_birth IS NULL AS no_dob,
           list_contains(p.issues, 'date_of_birth_unparseable') AS bad_dob,
           list_contains(p.issues, 'gender_invalid') AS bad_gender,
           coalesce(p.date_of_birth > d.first_day, false) AS born_after_incident,
           coalesce(p.date_of_birth > $today
                    OR age_years(p.date_of_birth, coalesce(d.last_day, $today)) > $max_age, false)
               AS implausible_age
    FROM stg_persons p
    LEFT JOIN incident_days d USING (person_id)
    WHERE p.is_current
),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        count(*) FILTER (WHERE bad_dob) AS dob_parseable,
        min(CASE WHEN bad_dob THEN person_id END, $max_ids) AS dob_parseable__ids,
        count(*) AS dob_missing_rate__total,
        count(*) FILTER (WHERE no_dob) AS dob_missing_rate__failing,
        min(CASE WHEN no_dob THEN person_id END, $max_ids) AS dob_missing_rate__ids,
        count(*) FILTER (WHERE born_after_incident) AS dob_before_incidents,
        min(CASE WHEN born_after_incident THEN person_id END, $max_ids) AS dob_before_incidents__ids,
        count(*) FILTER (WHERE implausible_age) AS age_plausible,
        min(CASE WHEN implausible_age THEN person_id END, $max_ids) AS age_plausible__ids,
        count(*) FILTER (WHERE bad_gender) AS gender_valid,
        min(CASE WHEN bad_gender THEN person_id END, $max_ids) AS gender_valid__ids
    FROM usable
),
repeated AS (
    SELECT count(*) AS usable_ids_unique, min(coalesce(person_id, '(blank)'), $max_ids) AS usable_ids_unique__ids
    FROM (
        SELECT person_id FROM stg_persons WHERE is_current
        GROUP BY person_id HAVING count(*) > 1 OR person_id IS NULL
    )
)
SELECT * FROM read_measures, duplicate_ids, usable_measures, repeated
