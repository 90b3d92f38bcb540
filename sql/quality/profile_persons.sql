-- Data-quality measures of persons (nominals), as one row (validated by the GX suite
-- expectations/stg_persons.json): one column per check, named after it, built by the macros of
-- sql/quality/macros/ (failing rows and up to $max_ids failing person ids; extract/file:row when
-- the id is missing). Dates of birth are only compared here: no date, name or PNC id leaves
-- this query.
WITH read_measures AS (
    SELECT
        failing_first(reason = 'missing_person_id', row_ref, [file_id, source_row], $max_ids) AS id_present,
        failing_distinct(reason = 'duplicate_person_id', person_id, $max_ids) AS id_unique
    FROM quarantined_rows('stg_persons_checked')
),
incident_days AS (
    -- first and last day of the usable incidents each person is involved in
    SELECT v.person_id, min(i.occurred_date) AS first_day, max(i.occurred_date) AS last_day
    FROM stg_involvements v
    JOIN stg_incidents i ON i.incident_id = v.incident_id AND i.is_current
    WHERE v.is_current
    GROUP BY v.person_id
),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        failing_rows(list_contains(p.issues, 'date_of_birth_unparseable'), p.person_id, $max_ids) AS dob_parseable,
        failing_share(p.date_of_birth IS NULL, true, p.person_id, $max_ids) AS dob_missing_rate,
        failing_rows(coalesce(p.date_of_birth > d.first_day, false), p.person_id, $max_ids) AS dob_before_incidents,
        failing_rows(
            coalesce(p.date_of_birth > $today
                     OR age_years(p.date_of_birth, coalesce(d.last_day, $today)) > $max_age, false),
            p.person_id, $max_ids) AS age_plausible,
        failing_rows(list_contains(p.issues, 'gender_invalid'), p.person_id, $max_ids) AS gender_valid
    FROM stg_persons p
    LEFT JOIN incident_days d USING (person_id)
    WHERE p.is_current
),
repeated AS (
    SELECT failing_rows(true, id, $max_ids) AS usable_ids_unique FROM repeated_ids('stg_persons', 'person_id')
)
SELECT * FROM read_measures, usable_measures, repeated
