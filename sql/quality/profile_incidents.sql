-- Data-quality measures of incidents, as one row (validated by the GX suite
-- expectations/stg_incidents.json): one column per check, named after it, built by the macros
-- of sql/quality/macros/ (failing rows and up to $max_ids failing incident ids, or
-- extract/file:row when the id itself is missing or invalid). Counts and ids only, never values. Rows read
-- are counted under their first quarantine reason; "usable" means the current (newest) version
-- of usable rows.
WITH read_measures AS (
    SELECT
        failing_first(reason = 'missing_incident_id', row_ref, [file_id, source_row], $max_ids) AS id_present,
        failing_first(reason = 'invalid_id', row_ref, [file_id, source_row], $max_ids) AS id_valid,
        failing_distinct(reason = 'duplicate_incident_id', incident_id, $max_ids) AS id_unique,
        failing_rows(reason IN ('missing_occurred_date', 'unparseable_occurred_date'), incident_id, $max_ids)
            AS date_parseable,
        failing_rows(reason IN ('missing_record_type', 'unknown_record_type'), incident_id, $max_ids)
            AS record_type_valid
    FROM quarantined_rows('stg_incidents_checked')
),
roles AS (
    SELECT incident_id,
           bool_or(role IN ('suspect', 'offender')) AS has_perpetrator,
           bool_or(role = 'victim') AS has_victim
    FROM stg_involvements
    WHERE is_current
    GROUP BY incident_id
),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        failing_rows(i.occurred_date > $today, i.incident_id, $max_ids) AS date_not_future,
        failing_rows(list_contains(i.issues, 'dash_risk_invalid'), i.incident_id, $max_ids) AS dash_risk_valid,
        failing_rows(list_contains(i.issues, 'domestic_abuse_flag_invalid'), i.incident_id, $max_ids) AS da_flag_valid,
        failing_share(g.offence_code IS NULL, i.record_type = 'crime', i.incident_id, $max_ids) AS offence_code_known,
        failing_rows(NOT coalesce(r.has_perpetrator, false), i.incident_id, $max_ids) AS has_perpetrator,
        failing_rows(NOT coalesce(r.has_victim, false), i.incident_id, $max_ids) AS has_victim,
        failing_share(i.area = 'unknown', true, i.incident_id, $max_ids) AS area_given
    FROM stg_incidents i
    LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
    LEFT JOIN roles r ON r.incident_id = i.incident_id
    WHERE i.is_current
),
repeated AS (
    SELECT failing_rows(true, id, $max_ids) AS usable_ids_unique FROM repeated_ids('stg_incidents', 'incident_id')
)
SELECT * FROM read_measures, usable_measures, repeated
