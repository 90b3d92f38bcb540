-- Current involvements with the resolved person and the person's age on the incident day
-- (from the date of birth on that nominal record; NULL when unknown).
CREATE OR REPLACE TABLE int_involvements AS
SELECT
    v.incident_id, v.person_id, p.resolved_person_id, v.role, v.relationship,
    i.occurred_date, i.domestic_abuse_flag,
    age_years(p.date_of_birth, i.occurred_date) AS age_on_day
FROM stg_involvements v
JOIN int_incidents i USING (incident_id)
JOIN int_person_identity p USING (person_id)
WHERE v.is_current
