-- The qualifying links at any time (int_qualifying_links over all_time_cycles) of the persons who
-- could be serial at some date: at least $min_incidents incidents and $min_victims victims in all
-- (a window holds no more than that). explode_links.sql cuts them into each date's window.
CREATE OR REPLACE TABLE bt_links AS
WITH candidates AS (
    SELECT perpetrator_id
    FROM int_qualifying_links
    GROUP BY perpetrator_id
    HAVING count(DISTINCT incident_id) >= $min_incidents
       AND count(DISTINCT victim_id) >= $min_victims
)
SELECT l.perpetrator_id, l.victim_id, l.incident_id, i.occurred_date
FROM int_qualifying_links l
SEMI JOIN candidates c ON c.perpetrator_id = l.perpetrator_id
JOIN int_incidents i USING (incident_id)
