-- RFG(V) points, score and rank for each serial perpetrator, per cycle. Bands come from the
-- settings (ref_score_bands); the first band in order that matches gives the points (positions
-- are unique per component). The rank's order ends with perpetrator_id: no two rows tie.
-- Frequency and gravity points (and their tie-breaks) count scored_incidents / scored_gravity:
-- n and g over the last $count_window_days days of the window (occurred_date > as-of - N; RFH),
-- or n and g themselves when it is NULL (summed exactly, like gravity_total).
CREATE OR REPLACE TABLE int_perpetrator_scores AS
WITH serial AS (
    SELECT * FROM int_perpetrator_stats WHERE is_serial
),
counted AS (
    SELECT s.cycle, s.perpetrator_id,
           count(*) FILTER (WHERE q.occurred_date > s.as_of - $count_window_days::INTEGER)
               AS scored_incidents,
           coalesce(sum(q.weight::DECIMAL(38, 10)) FILTER (
               WHERE q.occurred_date > s.as_of - $count_window_days::INTEGER), 0)::DOUBLE
               AS scored_gravity
    FROM serial s
    JOIN int_qualifying_incidents q USING (cycle, perpetrator_id)
    WHERE $count_window_days::INTEGER IS NOT NULL
    GROUP BY s.cycle, s.perpetrator_id
),
pointed AS (
    SELECT s.*,
        coalesce(c.scored_incidents, s.incidents_in_window) AS scored_incidents,
        coalesce(c.scored_gravity, s.gravity_total) AS scored_gravity
    FROM serial s
    LEFT JOIN counted c USING (cycle, perpetrator_id)
),
banded AS (
    SELECT p.*,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'recency'
                    AND (b.threshold IS NULL OR p.days_since_last_incident <= b.threshold)
                  ORDER BY b.position LIMIT 1), 0) AS recency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'frequency' AND p.scored_incidents >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS frequency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'gravity' AND p.scored_gravity >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS gravity_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'victims' AND p.victims_in_window >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS victims_points
    FROM pointed p
),
scored AS (
    SELECT *,
        recency_points * $weight_recency
        + frequency_points * $weight_frequency
        + gravity_points * $weight_gravity
        + CASE WHEN $include_victims THEN victims_points * $weight_victims ELSE 0 END AS rfg_score
    FROM banded
)
SELECT *,
    row_number() OVER (
        PARTITION BY cycle
        ORDER BY rfg_score DESC, scored_gravity DESC, last_incident_date DESC,
                 scored_incidents DESC, perpetrator_id ASC
    ) AS rank
FROM scored
