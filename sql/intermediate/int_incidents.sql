-- Current version of each usable incident, with its gravity weight:
-- non_crime -> the non-crime weight; crime with a code in the gravity table -> its weight;
-- crime with a missing or unknown code -> the unknown-crime weight (reported in data quality).
-- A temporary table: only this step reads it (persisting it cost ~15% of the rule step).
CREATE OR REPLACE TEMP TABLE int_incidents AS
SELECT
    i.incident_id, i.occurred_date, i.record_type, i.offence_code, i.dash_risk,
    coalesce(i.domestic_abuse_flag, true) AS domestic_abuse_flag,
    i.extract_seq, i.area,
    g.offence_code IS NOT NULL AS offence_known,
    CASE WHEN i.record_type = 'non_crime' THEN $non_crime_weight::DOUBLE
         WHEN g.weight IS NULL THEN $unknown_crime_weight::DOUBLE
         ELSE g.weight END AS weight,
    g.description AS offence_description
FROM stg_incidents i
LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
WHERE i.is_current
