-- Each pack member's qualifying incidents in the window, oldest first: offence, gravity, DASH,
-- area, and the victims it counts with their relationship to the perpetrator.
CREATE OR REPLACE TABLE panel_timeline AS
SELECT m.area AS pack_area, m.perpetrator_id, q.incident_id, q.occurred_date, q.record_type,
       q.offence_code, q.offence_description, q.weight, q.dash_risk, q.area,
       string_agg(l.victim_id || coalesce(' (' || l.relationship || ')', ''), ', '
                  ORDER BY l.victim_id) AS victims
FROM panel_members m
JOIN int_qualifying_incidents q ON q.cycle = 'current' AND q.perpetrator_id = m.perpetrator_id
JOIN panel_links l ON l.perpetrator_id = q.perpetrator_id AND l.incident_id = q.incident_id
GROUP BY ALL
ORDER BY m.area, m.perpetrator_id, q.occurred_date, q.incident_id
