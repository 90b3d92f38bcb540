-- RFG(V) points, score and rank for each serial perpetrator, per cycle. Bands come from the
-- settings (ref_score_bands); the first band in order that matches gives the points (positions
-- are unique per component). The rank's order ends with perpetrator_id: no two rows tie.
CREATE OR REPLACE TABLE int_perpetrator_scores AS
WITH pointed AS (
    SELECT s.*,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'recency'
                    AND (b.threshold IS NULL OR s.days_since_last_incident <= b.threshold)
                  ORDER BY b.position LIMIT 1), 0) AS recency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'frequency' AND s.incidents_in_window >= b.threshold
                  ORDER BY b.position LIMIT 1), 0) AS frequency_points,
        coalesce((SELECT b.points FROM ref_score_bands b
                  WHERE b.component = 'gravity' AND s.gravity_total >= b.threshold
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
        ORDER BY rfg_score DESC, gravity_total DESC, last_incident_date DESC,
                 incidents_in_window DESC, perpetrator_id ASC
    ) AS rank
FROM scored
