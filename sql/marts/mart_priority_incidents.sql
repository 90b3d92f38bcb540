-- Why each listed perpetrator is ranked where they are: their qualifying incidents, each with
-- the victims it counts (ids in text order). Ordered by rank, newest incident first, then
-- incident_id: a total order.
CREATE OR REPLACE TABLE mart_priority_incidents AS
WITH victims AS (
    SELECT l.perpetrator_id, l.incident_id,
           string_agg(l.victim_id, ';' ORDER BY l.victim_id) AS victim_ids
    FROM int_qualifying_links l
    SEMI JOIN mart_priority_list m ON m.perpetrator_id = l.perpetrator_id
    WHERE l.cycle = 'current'
    GROUP BY l.perpetrator_id, l.incident_id
)
SELECT
    m.rank, q.perpetrator_id, q.incident_id, q.occurred_date, q.record_type, q.offence_code,
    q.offence_description, q.dash_risk, q.weight, q.victims, v.victim_ids
FROM int_qualifying_incidents q
JOIN mart_priority_list m USING (perpetrator_id)
JOIN victims v USING (perpetrator_id, incident_id)
WHERE q.cycle = 'current'
ORDER BY m.rank, q.occurred_date DESC, q.incident_id
