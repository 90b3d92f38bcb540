-- Perpetrators on the previous cycle's list who are not on this one, and why; in their previous
-- (unique) rank order; with the area they were listed in then.
CREATE OR REPLACE TABLE mart_left_list AS
SELECT
    p.perpetrator_id,
    p.rank AS previous_rank,
    CASE WHEN c.perpetrator_id IS NULL THEN 'out_of_window' ELSE 'no_longer_serial' END AS reason,
    coalesce(c.incidents_in_window, 0) AS incidents_in_window,
    coalesce(c.victims_in_window, 0) AS victims_in_window,
    c.last_incident_date,
    a.area AS previous_area
FROM int_perpetrator_scores p
LEFT JOIN int_perpetrator_stats c ON c.perpetrator_id = p.perpetrator_id AND c.cycle = 'current'
LEFT JOIN mart_perpetrator_areas a ON a.perpetrator_id = p.perpetrator_id AND a.cycle = 'previous'
WHERE p.cycle = 'previous'
  AND NOT EXISTS (
      SELECT 1 FROM int_perpetrator_scores s
      WHERE s.cycle = 'current' AND s.perpetrator_id = p.perpetrator_id
  )
ORDER BY p.rank
