-- RFG(V) points, score and rank for each serial perpetrator, per cycle. Bands come from the
-- settings (ref_score_bands); the first band in order that matches gives the points. Frequency
-- and gravity points (and the tie-breaks) use the scored counts (the whole window, or its last
-- scoring.count_window_days days: RFH).
CREATE OR REPLACE TABLE int_perpetrator_scores AS
WITH pointed AS (
    SELECT s.*,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'recency'
                    AND (b.threshold IS NULL OR s.days_since_last_incident <= b.threshold)
                  ORDER BY b.position LIMIT 1), 0) AS recency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'frequency' AND s.scored_incidents >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS frequency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'gravity' AND s.scored_gravity >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS gravity_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'victims' AND s.victims_in_window >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS victims_points
    FROM int_perpetrator_stats s
    WHERE s.is_serial
),
scored AS (
    SELECT *,
        recency_points * $weight_recency
        + frequency_points * $weight_frequency
        + gravity_points * $weight_gravity
        + CASE WHEN $include_victims THEN victims_points * $weight_victims ELSE 0 END AS rfg_score
    FROM pointed
)
SELECT *,
    row_number() OVER (
        PARTITION BY cycle
        ORDER BY rfg_score DESC, scored_gravity DESC, last_incident_date DESC,
                 scored_incidents DESC, perpetrator_id ASC
    ) AS rank
FROM scored
