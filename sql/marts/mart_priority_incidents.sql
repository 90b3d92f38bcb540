-- Why each listed perpetrator is ranked where they are: their qualifying incidents.
CREATE OR REPLACE TABLE mart_priority_incidents AS
SELECT
    l.rank, q.perpetrator_id, q.incident_id, q.occurred_date, q.record_type, q.offence_code,
    q.offence_description, q.dash_risk, q.weight, q.victims,
    array_to_string(q.victim_ids, ';') AS victim_ids
FROM int_qualifying_incidents q
JOIN mart_priority_list l USING (perpetrator_id)
WHERE q.cycle = 'current'
ORDER BY l.rank, q.occurred_date DESC, q.incident_id
