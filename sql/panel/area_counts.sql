-- Per area (every area with a listed person now or one cycle earlier): listed now and one
-- cycle earlier, in the pack, new to the area's list, left it, adopted at the as-of date.
WITH listed AS (
    SELECT area,
           count(*) FILTER (WHERE cycle = 'current') AS listed,
           count(*) FILTER (WHERE cycle = 'previous') AS previously_listed,
           count(*) FILTER (WHERE cycle = 'current' AND area_rank <= (SELECT size FROM panel_params)) AS in_pack
    FROM panel_area_ranks GROUP BY area
),
moves AS (
    SELECT coalesce(c.area, p.area) AS area,
           count(*) FILTER (WHERE p.perpetrator_id IS NULL) AS joined,
           count(*) FILTER (WHERE c.perpetrator_id IS NULL) AS left_list
    FROM (SELECT * FROM panel_area_ranks WHERE cycle = 'current') c
    FULL JOIN (SELECT * FROM panel_area_ranks WHERE cycle = 'previous') p
        ON p.perpetrator_id = c.perpetrator_id AND p.area = c.area
    GROUP BY ALL
),
adopted AS (
    SELECT l.area, count(*) FILTER (WHERE s.panel_status LIKE 'adopted%') AS adopted,
           count(*) FILTER (WHERE s.panel_status LIKE 'discharged%') AS discharged
    FROM mart_priority_list l JOIN mart_panel_status s USING (perpetrator_id)
    GROUP BY l.area
)
SELECT l.area, l.listed, l.previously_listed, l.in_pack,
       coalesce(m.joined, 0) AS joined, coalesce(m.left_list, 0) AS left_list,
       coalesce(a.adopted, 0) AS adopted, coalesce(a.discharged, 0) AS discharged
FROM listed l
LEFT JOIN moves m USING (area)
LEFT JOIN adopted a USING (area)
ORDER BY l.area
