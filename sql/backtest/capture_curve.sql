-- The harm-capture curve ("power few"): for each model and each share p% of its list (1..100),
-- the share of all future harm caused by the top ceil(p% x listed), averaged over the measured
-- dates. 'best possible order' = the configured model's list ordered by what each person did
-- next; 'random' = the expected share of a random order (ceil(p% x listed) / listed of the
-- list's harm), exact rather than drawn.
WITH measured AS (SELECT unnest($dates::DATE[]) AS as_of),
totals AS (
    SELECT as_of, sum(future_harm) AS total_future_harm
    FROM bt_future SEMI JOIN measured USING (as_of)
    GROUP BY as_of
),
orders AS (
    SELECT model, as_of, rank, harm, listed FROM bt_scored WHERE model NOT LIKE 'random#%'
    UNION ALL
    SELECT 'best possible order', as_of,
           row_number() OVER (PARTITION BY as_of ORDER BY harm DESC, perpetrator_id),
           harm, listed
    FROM bt_scored WHERE model = $base
),
cumulative AS (
    SELECT model, as_of, rank, listed,
           sum(harm) OVER (PARTITION BY model, as_of ORDER BY rank) AS harm_so_far
    FROM orders
),
grid AS (
    SELECT o.model, o.as_of, o.listed, p.percent,
           ceil(o.listed * p.percent / 100)::BIGINT AS rank
    FROM (SELECT DISTINCT model, as_of, listed FROM orders) o
    CROSS JOIN (SELECT unnest(range(1, 101)) AS percent) p
),
points AS (
    SELECT g.model, g.percent, g.as_of, c.harm_so_far / t.total_future_harm AS share
    FROM grid g
    JOIN cumulative c USING (model, as_of, rank)
    JOIN totals t USING (as_of)
    WHERE t.total_future_harm > 0
    UNION ALL
    SELECT 'random', g.percent, g.as_of,
           g.rank / g.listed * c.harm_so_far / t.total_future_harm
    FROM grid g
    JOIN cumulative c ON c.model = g.model AND c.as_of = g.as_of AND c.rank = g.listed
    JOIN totals t ON t.as_of = g.as_of
    WHERE g.model = $base AND t.total_future_harm > 0
)
SELECT model, percent, round(avg(share), 6) AS harm_share
FROM points
GROUP BY model, percent
ORDER BY model, percent
