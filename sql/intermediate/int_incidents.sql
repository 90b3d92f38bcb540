-- Current version of each usable incident, with its gravity weight (macro incident_weight).
-- A temporary table: only this step reads it (persisting it cost ~15% of the rule step).
CREATE OR REPLACE TEMP TABLE int_incidents AS
SELECT
    i.incident_id, i.occurred_date, i.record_type, i.offence_code, i.dash_risk,
    coalesce(i.domestic_abuse_flag, true) AS domestic_abuse_flag,
    i.extract_seq, i.area,
    g.offence_code IS NOT NULL AS offence_known,
    incident_weight(i.record_type, g.weight, $non_crime_weight::DOUBLE,
                    $unknown_crime_weight::DOUBLE) AS weight,
    g.description AS offence_description
FROM stg_incidents i
LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
WHERE i.is_current
