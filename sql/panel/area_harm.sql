-- Harm concentration per area: the share of the area's harm (sum of gravity in the window over
-- every perpetrator with a qualifying incident whose area it is, serial or not) caused by its
-- top 1%, 5% and 10% of perpetrators by harm (at least one person; ceil of the share).
WITH harm AS (
    SELECT a.area, s.perpetrator_id, s.gravity_total AS harm
    FROM int_perpetrator_stats s
    JOIN mart_perpetrator_areas a USING (cycle, perpetrator_id)
    WHERE s.cycle = 'current'
),
ranked AS (
    SELECT area, harm,
           row_number() OVER (PARTITION BY area ORDER BY harm DESC, perpetrator_id) AS position,
           count(*) OVER (PARTITION BY area) AS people,
           sum(harm) OVER (PARTITION BY area) AS total
    FROM harm
),
tops AS (SELECT unnest([1, 5, 10]) AS top_percent)
SELECT r.area, t.top_percent, any_value(r.people) AS people,
       greatest(1, (t.top_percent * any_value(r.people) + 99) // 100) AS top_people,
       any_value(r.total) AS total_harm,
       sum(r.harm) FILTER (WHERE r.position <= greatest(1, (t.top_percent * r.people + 99) // 100))
           AS top_harm
FROM ranked r CROSS JOIN tops t
GROUP BY r.area, t.top_percent
ORDER BY r.area, t.top_percent
