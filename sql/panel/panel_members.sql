-- The pack of each area: its top panel.size listed people, with the list's columns, the area
-- rank now and one cycle earlier, the movement within the area, and the incidents and gravity
-- the frequency and gravity points counted (scored_*: the last count_window_days days, RFH).
CREATE OR REPLACE TABLE panel_members AS
SELECT r.area, r.area_rank, p.area_rank AS previous_area_rank,
    CASE WHEN p.area_rank IS NULL THEN 'new'
         WHEN p.area_rank > r.area_rank THEN 'up ' || (p.area_rank - r.area_rank)
         WHEN p.area_rank < r.area_rank THEN 'down ' || (r.area_rank - p.area_rank)
         ELSE 'same' END AS area_movement,
    l.* EXCLUDE (area), s.scored_incidents, s.scored_gravity
FROM panel_area_ranks r
JOIN mart_priority_list l ON l.perpetrator_id = r.perpetrator_id
JOIN int_perpetrator_scores s ON s.perpetrator_id = r.perpetrator_id AND s.cycle = 'current'
LEFT JOIN panel_area_ranks p
    ON p.cycle = 'previous' AND p.area = r.area AND p.perpetrator_id = r.perpetrator_id
WHERE r.cycle = 'current' AND r.area_rank <= (SELECT size FROM panel_params)
ORDER BY r.area, r.area_rank
