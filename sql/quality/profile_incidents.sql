-- Data-quality measures of incidents, as one row (validated by the GX suite
-- expectations/stg_incidents.json). For each check: the failing rows (column named after the
-- check) and up to $max_ids failing ids (`<check>__ids`: incident ids, or extract/file:row when
-- the id itself is missing). Counts and ids only, never values. Rows read are counted under
-- their first quarantine reason; "usable" means the current (newest) version of usable rows.
WITH src AS (
    SELECT c.reason, c.incident_id, c.file_id, c.source_row,
           f.extract_name || '/' || regexp_extract(f.path, '[^/\\]+$') || ':' || c.source_row AS row_ref
    FROM stg_incidents_checked c JOIN raw_files f USING (file_id)
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
    FROM src
),
duplicate_ids AS (
    SELECT min(incident_id, $max_ids) AS id_unique__ids
    FROM (SELECT DISTINCT incident_id FROM src WHERE reason = 'duplicate_incident_id')
),
usable AS (
    SELECT i.incident_id, i.occurred_date, i.record_type, i.issues,
           i.record_type = 'crime' AND g.offence_code IS NULL AS unknown_crime
    FROM stg_incidents i
    LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
    WHERE i.is_current
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
        count(*) FILTER (WHERE u.occurred_date > $today) AS date_not_future,
        min(u.incident_id, $max_ids) FILTER (WHERE u.occurred_date > $today) AS date_not_future__ids,
        count(*) FILTER (WHERE list_contains(u.issues, 'dash_risk_invalid')) AS dash_risk_valid,
        min(u.incident_id, $max_ids) FILTER (WHERE list_contains(u.issues, 'dash_risk_invalid')) AS dash_risk_valid__ids,
        count(*) FILTER (WHERE list_contains(u.issues, 'domestic_abuse_flag_invalid')) AS da_flag_valid,
        min(u.incident_id, $max_ids)
            FILTER (WHERE list_contains(u.issues, 'domestic_abuse_flag_invalid')) AS da_flag_valid__ids,
        count(*) FILTER (WHERE u.record_type = 'crime') AS offence_code_known__total,
        count(*) FILTER (WHERE u.unknown_crime) AS offence_code_known__failing,
        min(u.incident_id, $max_ids) FILTER (WHERE u.unknown_crime) AS offence_code_known__ids,
        count(*) FILTER (WHERE NOT coalesce(r.has_perpetrator, false)) AS has_perpetrator,
        min(u.incident_id, $max_ids) FILTER (WHERE NOT coalesce(r.has_perpetrator, false)) AS has_perpetrator__ids,
        count(*) FILTER (WHERE NOT coalesce(r.has_victim, false)) AS has_victim,
        min(u.incident_id, $max_ids) FILTER (WHERE NOT coalesce(r.has_victim, false)) AS has_victim__ids
    FROM usable u
    LEFT JOIN roles r USING (incident_id)
),
repeated AS (
    SELECT count(*) AS usable_ids_unique, min(coalesce(incident_id, '(blank)'), $max_ids) AS usable_ids_unique__ids
    FROM (
        SELECT incident_id FROM stg_incidents WHERE is_current
        GROUP BY incident_id HAVING count(*) > 1 OR incident_id IS NULL
    )
)
SELECT * FROM read_measures, duplicate_ids, usable_measures, repeated
