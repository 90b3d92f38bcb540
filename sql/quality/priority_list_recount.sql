-- The self-check of the published list (validated by expectations/priority_list.json): every
-- listed person with the counts on the list and the same counts recounted from the qualifying
-- incidents of the current cycle (and their victim links), re-applying the window
-- [$window_start, $as_of].
WITH q AS (
    SELECT perpetrator_id, incident_id
    FROM int_qualifying_incidents
    WHERE cycle = 'current' AND occurred_date BETWEEN $window_start AND $as_of
),
incidents AS (
    SELECT perpetrator_id, count(DISTINCT incident_id) AS incidents_recounted
    FROM q GROUP BY perpetrator_id
),
victims AS (
    SELECT q.perpetrator_id, count(DISTINCT l.victim_id) AS victims_recounted
    FROM q
    JOIN int_qualifying_links l
      ON l.cycle = 'current' AND l.perpetrator_id = q.perpetrator_id AND l.incident_id = q.incident_id
    GROUP BY q.perpetrator_id
)
SELECT
    l.rank, row_number() OVER (ORDER BY l.rank, l.perpetrator_id) AS expected_rank,
    l.perpetrator_id,
    l.incidents_in_window, coalesce(i.incidents_recounted, 0) AS incidents_recounted,
    l.victims_in_window, coalesce(v.victims_recounted, 0) AS victims_recounted,
    l.days_since_last_incident
FROM mart_priority_list l
LEFT JOIN incidents i USING (perpetrator_id)
LEFT JOIN victims v USING (perpetrator_id)
ORDER BY l.rank, l.perpetrator_id
