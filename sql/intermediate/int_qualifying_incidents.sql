-- Clause 4 and the explanation of every score: each perpetrator's qualifying incidents per
-- cycle, with the incident's weight and how many victims it counts.
CREATE OR REPLACE TABLE int_qualifying_incidents AS
WITH per_incident AS (
    SELECT cycle, perpetrator_id, incident_id, count(*) AS victims
    FROM int_qualifying_links
    GROUP BY cycle, perpetrator_id, incident_id
)
SELECT
    p.cycle, p.perpetrator_id, p.incident_id,
    i.occurred_date, i.record_type, i.offence_code, i.offence_description, i.offence_known,
    i.dash_risk, i.weight, p.victims, i.area
FROM per_incident p
JOIN int_incidents i USING (incident_id)
