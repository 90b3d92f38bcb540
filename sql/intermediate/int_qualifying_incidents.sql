-- Clause 4 and the explanation of every score: each perpetrator's qualifying incidents per
-- cycle, with the incident's weight and the victims it counts.
CREATE OR REPLACE TABLE int_qualifying_incidents AS
SELECT
    l.cycle, l.perpetrator_id, l.incident_id,
    i.occurred_date, i.record_type, i.offence_code, i.offence_description, i.offence_known,
    i.dash_risk, i.weight,
    count(DISTINCT l.victim_id) AS victims,
    list_sort(list(DISTINCT l.victim_id)) AS victim_ids
FROM int_qualifying_links l
JOIN int_incidents i USING (incident_id)
GROUP BY ALL
