-- Benchmark floor (bench only, run by `matac bench`, never by the pipeline): the MATAC rule
-- and RFG score as ONE hand-written query over the three tables of a clean extract (no
-- staging, quarantine, previous cycle, report or publication). `$incidents_table` etc. name
-- what is read: a Parquet file's path (the in-memory floor, straight over the files) or a table
-- of a database file (the persisted floor, after `incidents.sql` etc. loaded them). `matac bench` times it and
-- checks it ranks exactly like the pipeline. The parameters are the pipeline's own:
-- `rule_params` at $as_of (`floor_as_of.sql`) and the scoring bands of `band_params` as four
-- parallel lists (recency: days <= threshold, NULL = any; the others: value >= threshold;
-- the first matching band in position order wins, as in int_perpetrator_scores).
WITH incidents AS (
    SELECT incident_id, occurred_date::DATE AS occurred_date, record_type,
           upper(offence_code) AS offence_code, coalesce(domestic_abuse_flag::BOOLEAN, true) AS da
    FROM query_table($incidents_table)
),
gravity AS (
    SELECT upper(trim(offence_code)) AS offence_code, try_cast(weight AS DOUBLE) AS weight
    FROM read_csv($gravity_path, header = true, all_varchar = true)
),
window_incidents AS (
    SELECT i.incident_id, i.occurred_date,
           CASE WHEN i.record_type = 'non_crime' THEN $non_crime_weight::DOUBLE
                ELSE coalesce(g.weight, $unknown_crime_weight::DOUBLE) END AS weight
    FROM incidents i
    LEFT JOIN gravity g ON g.offence_code = i.offence_code
    WHERE i.da
      AND i.occurred_date BETWEEN ($as_of::DATE - to_years($window_years))::DATE AND $as_of::DATE
),
persons AS (
    SELECT person_id, date_of_birth::DATE AS dob,
           CASE WHEN pnc_id IS NULL THEN person_id
                ELSE min(person_id) OVER (PARTITION BY pnc_id) END AS resolved_id
    FROM query_table($persons_table)
),
aged AS (
    SELECT v.incident_id, p.resolved_id, v.role = 'victim' AS is_victim,
           CASE WHEN p.dob <= i.occurred_date
                THEN year(i.occurred_date) - year(p.dob)
                     - CASE WHEN month(i.occurred_date) * 100 + day(i.occurred_date)
                                 < month(p.dob) * 100 + day(p.dob) THEN 1 ELSE 0 END
           END AS age
    FROM query_table($involvements_table) v
    JOIN window_incidents i USING (incident_id)
    JOIN persons p USING (person_id)
    WHERE v.role IN ('suspect', 'offender', 'victim')
),
-- a missing date of birth, one after the incident (impossible, age NULL above) or one giving an
-- age above quality.max_age (implausible) is an unknown age, which counts
people AS (
    SELECT incident_id, resolved_id, is_victim
    FROM aged
    WHERE age IS NULL OR age > $max_age OR age >= $min_age
),
links AS (
    SELECT DISTINCT o.resolved_id AS perpetrator_id, v.resolved_id AS victim_id, o.incident_id
    FROM people o
    JOIN people v ON v.incident_id = o.incident_id AND v.is_victim AND v.resolved_id <> o.resolved_id
    WHERE NOT o.is_victim
),
victims AS (
    SELECT perpetrator_id, count(DISTINCT victim_id) AS v FROM links GROUP BY perpetrator_id
),
stats AS (
    SELECT q.perpetrator_id, count(*) AS n, sum(i.weight) AS g, max(i.occurred_date) AS last_date,
           any_value(w.v) AS v
    FROM (SELECT DISTINCT perpetrator_id, incident_id FROM links) q
    JOIN window_incidents i USING (incident_id)
    JOIN victims w USING (perpetrator_id)
    GROUP BY q.perpetrator_id
),
scored AS (
    SELECT s.*, $as_of::DATE - s.last_date AS d
    FROM stats s
    WHERE s.n >= $min_incidents AND s.v >= $min_victims
),
bands AS (
    SELECT unnest($band_component) AS component, unnest($band_position) AS position,
           unnest($band_threshold)::DOUBLE AS threshold, unnest($band_points)::INTEGER AS points
),
pointed AS (
    SELECT s.*,
        coalesce((SELECT arg_min(b.points, b.position) FROM bands b
                  WHERE b.component = 'recency' AND (b.threshold IS NULL OR s.d <= b.threshold)),
                 0) AS r_pts,
        coalesce((SELECT arg_min(b.points, b.position) FROM bands b
                  WHERE b.component = 'frequency' AND s.n >= b.threshold), 0) AS f_pts,
        coalesce((SELECT arg_min(b.points, b.position) FROM bands b
                  WHERE b.component = 'gravity' AND s.g >= b.threshold), 0) AS g_pts,
        coalesce((SELECT arg_min(b.points, b.position) FROM bands b
                  WHERE b.component = 'victims' AND s.v >= b.threshold), 0) AS v_pts
    FROM scored s
)
SELECT
    row_number() OVER (ORDER BY score DESC, g DESC, last_date DESC, n DESC, perpetrator_id) AS rank,
    perpetrator_id, score AS rfg_score
FROM (
    SELECT *, r_pts * $weight_recency + f_pts * $weight_frequency + g_pts * $weight_gravity
              + CASE WHEN $include_victims THEN v_pts * $weight_victims ELSE 0 END AS score
    FROM pointed
)
ORDER BY rank
