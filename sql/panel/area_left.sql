-- Who was on an area's list one cycle earlier and is not now, and why: off the list
-- (out_of_window, no_longer_serial, from mart_left_list) or listed now in another area.
SELECT p.area, p.perpetrator_id, p.area_rank AS previous_area_rank, p.rank AS previous_rank,
       coalesce(lf.reason, 'moved to ' || c.area) AS reason,
       coalesce(lf.incidents_in_window, ls.incidents_in_window) AS incidents_in_window,
       coalesce(lf.victims_in_window, ls.victims_in_window) AS victims_in_window,
       coalesce(lf.last_incident_date, ls.last_incident_date) AS last_incident_date
FROM panel_area_ranks p
LEFT JOIN panel_area_ranks c ON c.cycle = 'current' AND c.perpetrator_id = p.perpetrator_id
LEFT JOIN mart_left_list lf ON lf.perpetrator_id = p.perpetrator_id
LEFT JOIN mart_priority_list ls ON ls.perpetrator_id = p.perpetrator_id
WHERE p.cycle = 'previous' AND (c.area IS NULL OR c.area <> p.area)
ORDER BY p.area, p.area_rank
