-- Scoring bands from the settings, one row per band, checked in `position` order.
-- recency: days <= threshold (NULL = any); frequency/gravity/victims: value >= threshold.
CREATE OR REPLACE TABLE ref_score_bands AS
SELECT
    unnest($band_component) AS component,
    unnest($band_position) AS position,
    unnest($band_threshold)::DOUBLE AS threshold,
    unnest($band_points)::INTEGER AS points
