-- Data-quality measures of incidents, as one row (validated by the GX suite
-- expectations/stg_incidents.json). For each check: the failing rows (column named after the
-- check) and up to $max_ids failing ids (`<check>__ids`: incident ids, or extract/file:row when
-- the id itself is missing). Counts and ids only, never values. Rows read are counted under
-- their first quarantine reason; "usable" means the current (newest) version of usable rows.
-- Id strings are built only for failing rows (CASE), so memory stays flat at any size.
WITH quarantined AS (
    SELECT c.reason, c.incident_id, c.file_id, c.source_row,
           f.extract_name || '/' || regexp_extract(f.path, '[^/\\]+$') || ':' || c.source_row AS row_ref
    FROM stg_incidents_checked c JOIN raw_files f USING (file_id)
    WHERE c.reason IS NOT NULL
),
read_measures AS (
    SELECT
        count(*) FILTER (WHERE reason = 'missing_incident_id') AS id_present,
        arg_min(row_ref, [file_id, source_row], $max_ids)
            FILTER (WHERE reason = 'missing_incident_id') AS id_present__ids,
        count(*) FILTER (WHERE reason = 'duplicate_incident_id') AS id_unique,
        count(*) FILTER (WHERE reason IN ('missing_occurred_date', 'unparseable_occurred_date')) AS date_parseable,
        min(incident_id, $max_ids)
            FILTER (WHERE reason IN ('missing_occurred_date', 'unparseable_occurred_date')) AS date_parseable__ids,
        count(*) FILTER (WHERE reason IN ('missing_record_type', 'unknown_record_type')) AS record_type_valid,
        min(incident_id, $max_ids)
            FILTER (WHERE reason IN ('missing_record_type', 'unknown_record_type')) AS record_type_valid__ids
    FROM quarantined
),
duplicate_ids AS (
    SELECT min(incident_id, $max_ids) AS id_unique__ids
    FROM (SELECT DISTINCT incident_id FROM quarantined WHERE reason = 'duplicate_incident_id')
),
roles AS (
    SELECT incident_id,
           bool_or(role IN ('suspect', 'offender')) AS has_perpetrator,
           bool_or(role = 'victim') AS has_victim
    FROM stg_involvements
    WHERE is_current
    GROUP BY incident_id
),
usable AS (
    SELECT i.incident_id,
           i.occurred_date > $today AS future,
           list_contains(i.issues, 'dash_risk_invalid') AS bad_dash_risk,
           list_contains(i.issues, 'domestic_abuse_flag_invalid') AS bad_flag,
           i.record_type = 'crime' AS crime,
           i.record_type = 'crime' AND g.offence_code IS NULL AS unknown_crime,
           NOT coalesce(r.has_perpetrator, false) AS no_perpetrator,
           NOT coalesce(r.has_victim, false) AS no_victim,
           i.area = 'unknown' AS no_area
    FROM stg_incidents i
    LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
    LEFT JOIN roles r ON r.incident_id = i.incident_id
    WHERE i.is_current
),
usable_measures AS (
    SELECT
        count(*) AS has_rows,
        count(*) FILTER (WHERE future) AS date_not_future,
        min(CASE WHEN future THEN incident_id END, $max_ids) AS date_not_future__ids,
        count(*) FILTER (WHERE bad_dash_risk) AS dash_risk_valid,
        min(CASE WHEN bad_dash_risk THEN incident_id END, $max_ids) AS dash_risk_valid__ids,
        count(*) FILTER (WHERE bad_flag) AS da_flag_valid,
        min(CASE WHEN bad_flag THEN incident_id END, $max_ids) AS da_flag_valid__ids,
        count(*) FILTER (WHERE crime) AS offence_code_known__total,
        count(*) FILTER (WHERE unknown_crime) AS offence_code_known__failing,
        min(CASE WHEN unknown_crime THEN incident_id END, $max_ids) AS offence_code_known__ids,
        count(*) FILTER (WHERE no_perpetrator) AS has_perpetrator,
        min(CASE WHEN no_perpetrator THEN incident_id END, $max_ids) AS has_perpetrator__ids,
        count(*) FILTER (WHERE no_victim) AS has_victim,
        min(CASE WHEN no_victim THEN incident_id END, $max_ids) AS has_victim__ids,
        count(*) AS area_given__total,
        count(*) FILTER (WHERE no_area) AS area_given__failing,
        min(CASE WHEN no_area THEN incident_id END, $max_ids) AS area_given__ids
    FROM usable
),
repeated AS (
    SELECT count(*) AS usable_ids_unique, min(coalesce(incident_id, '(blank)'), $max_ids) AS usable_ids_unique__ids
    FROM (
        SELECT incident_id FROM stg_incidents WHERE is_current
        GROUP BY incident_id HAVING count(*) > 1 OR incident_id IS NULL
    )
)
SELECT * FROM read_measures, duplicate_ids, usable_measures, repeated
