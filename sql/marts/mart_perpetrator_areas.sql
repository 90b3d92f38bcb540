-- The area of every perpetrator with qualifying incidents, per cycle (domain brief, "Areas"):
-- the area of their latest qualifying incident; when several share that date, the area with
-- most of them, then the area name ascending. Blank areas were read as 'unknown'.
CREATE OR REPLACE TABLE mart_perpetrator_areas AS
WITH latest AS (
    SELECT cycle, perpetrator_id, area, occurred_date,
           max(occurred_date) OVER (PARTITION BY cycle, perpetrator_id) AS latest_date
    FROM int_qualifying_incidents
),
on_latest AS (
    SELECT cycle, perpetrator_id, area, count(*) AS incidents
    FROM latest
    WHERE occurred_date = latest_date
    GROUP BY cycle, perpetrator_id, area
)
SELECT cycle, perpetrator_id, first(area ORDER BY incidents DESC, area ASC) AS area
FROM on_latest
GROUP BY cycle, perpetrator_id
