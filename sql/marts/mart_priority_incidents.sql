-- Why each listed perpetrator is ranked where they are: their qualifying incidents, each with
-- the victims it counts (ids in text order) and the nominal record(s) behind the perpetrator on
-- that incident. Ordered by rank, newest incident first, then incident_id: a total order.
CREATE OR REPLACE TABLE mart_priority_incidents AS
WITH victims AS (
    SELECT l.perpetrator_id, l.incident_id,
           string_agg(l.victim_id, ';' ORDER BY l.victim_id) AS victim_ids
    FROM int_qualifying_links l
    SEMI JOIN mart_priority_list m ON m.perpetrator_id = l.perpetrator_id
    WHERE l.cycle = 'current'
    GROUP BY l.perpetrator_id, l.incident_id
),
nominals AS (
    SELECT v.incident_id, i.resolved_person_id AS perpetrator_id,
           string_agg(DISTINCT v.person_id, ';' ORDER BY v.person_id) AS perpetrator_nominal_ids
    FROM stg_involvements v
    JOIN int_person_identity i USING (person_id)
    SEMI JOIN mart_priority_list m ON m.perpetrator_id = i.resolved_person_id
    WHERE v.is_current AND v.role IN ('suspect', 'offender')
    GROUP BY ALL
)
SELECT
    m.rank, q.perpetrator_id, q.incident_id, q.occurred_date, q.record_type, q.offence_code,
    q.offence_description, q.dash_risk, q.weight, q.victims, v.victim_ids,
    n.perpetrator_nominal_ids
FROM int_qualifying_incidents q
JOIN mart_priority_list m USING (perpetrator_id)
JOIN victims v USING (perpetrator_id, incident_id)
LEFT JOIN nominals n USING (perpetrator_id, incident_id)
WHERE q.cycle = 'current'
ORDER BY m.rank, q.occurred_date DESC, q.incident_id
