-- RFG at a date X for (perpetrator_id, eval_date) pairs: the score the list at as-of X gives the
-- person (domain brief, "Panel decisions and outcomes"), from panel_links in the window
-- [X - window_years, X], points from ref_score_bands (first band in order that matches).
-- A pair that is not serial at X is returned with listed = false and 0 points.
-- Frequency and gravity points count the incidents of the last count_window_days days before X
-- (occurred_date > X - N; RFH) when it is set, as int_perpetrator_scores does.
CREATE OR REPLACE MACRO panel_rfg_at(pairs) AS TABLE
WITH wanted AS (SELECT DISTINCT perpetrator_id, eval_date FROM query_table(pairs)),
links AS (
    SELECT w.perpetrator_id, w.eval_date, l.incident_id, l.victim_id, l.occurred_date, l.weight
    FROM wanted w
    CROSS JOIN panel_params pp
    JOIN panel_links l ON l.perpetrator_id = w.perpetrator_id
     AND l.occurred_date BETWEEN (w.eval_date - to_years(pp.window_years))::DATE AND w.eval_date
),
per_incident AS (
    SELECT perpetrator_id, eval_date, incident_id,
           any_value(occurred_date) AS occurred_date, any_value(weight) AS weight
    FROM links GROUP BY ALL
),
stats AS (
    SELECT i.perpetrator_id, i.eval_date, count(*) AS incidents,
           sum(i.weight::DECIMAL(38, 10))::DOUBLE AS gravity_total,
           max(i.occurred_date) AS last_incident_date,
           any_value(v.victims) AS victims,
           count(*) FILTER (WHERE pp.count_window_days IS NULL
               OR i.occurred_date > i.eval_date - pp.count_window_days) AS scored_incidents,
           coalesce(sum(i.weight::DECIMAL(38, 10)) FILTER (WHERE pp.count_window_days IS NULL
               OR i.occurred_date > i.eval_date - pp.count_window_days), 0)::DOUBLE
               AS scored_gravity
    FROM per_incident i
    CROSS JOIN panel_params pp
    JOIN (SELECT perpetrator_id, eval_date, count(DISTINCT victim_id) AS victims
          FROM links GROUP BY ALL) v USING (perpetrator_id, eval_date)
    GROUP BY ALL
),
serial AS (
    SELECT s.*, s.eval_date - s.last_incident_date AS days_since
    FROM stats s, panel_params pp
    WHERE s.incidents >= pp.min_incidents AND s.victims >= pp.min_victims
),
points AS (
    SELECT s.perpetrator_id, s.eval_date, b.component, arg_min(b.points, b.position) AS points
    FROM serial s
    JOIN ref_score_bands b ON
        (b.component = 'recency' AND (b.threshold IS NULL OR s.days_since <= b.threshold))
        OR (b.component = 'frequency' AND s.scored_incidents >= b.threshold)
        OR (b.component = 'gravity' AND s.scored_gravity >= b.threshold)
        OR (b.component = 'victims' AND s.victims >= b.threshold)
    GROUP BY ALL
),
wide AS (
    SELECT perpetrator_id, eval_date,
           coalesce(max(points) FILTER (WHERE component = 'recency'), 0) AS recency_points,
           coalesce(max(points) FILTER (WHERE component = 'frequency'), 0) AS frequency_points,
           coalesce(max(points) FILTER (WHERE component = 'gravity'), 0) AS gravity_points,
           coalesce(max(points) FILTER (WHERE component = 'victims'), 0) AS victims_points
    FROM points GROUP BY ALL
)
SELECT w.perpetrator_id, w.eval_date, s.incidents IS NOT NULL AS listed,
       coalesce(s.incidents, 0) AS incidents, coalesce(s.victims, 0) AS victims,
       coalesce(s.gravity_total, 0) AS gravity_total, s.last_incident_date,
       coalesce(p.recency_points, 0) AS recency_points,
       coalesce(p.frequency_points, 0) AS frequency_points,
       coalesce(p.gravity_points, 0) AS gravity_points,
       coalesce(p.victims_points, 0) AS victims_points,
       coalesce(p.recency_points * pp.weight_recency + p.frequency_points * pp.weight_frequency
                + p.gravity_points * pp.weight_gravity
                + CASE WHEN pp.include_victims THEN p.victims_points * pp.weight_victims ELSE 0 END,
                0) AS rfg_score
FROM wanted w
CROSS JOIN panel_params pp
LEFT JOIN serial s USING (perpetrator_id, eval_date)
LEFT JOIN wide p USING (perpetrator_id, eval_date)
