-- Each listed person's rank within their area, at the as-of date and one cycle earlier (the
-- area's list; the pack is its top panel.size).
CREATE OR REPLACE TABLE panel_area_ranks AS
SELECT s.cycle, a.area, s.perpetrator_id, s.rank,
       row_number() OVER (PARTITION BY s.cycle, a.area ORDER BY s.rank) AS area_rank
FROM int_perpetrator_scores s
JOIN mart_perpetrator_areas a ON a.cycle = s.cycle AND a.perpetrator_id = s.perpetrator_id
