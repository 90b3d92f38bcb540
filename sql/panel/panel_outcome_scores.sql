-- RFG and its parts for every subject at adoption, at discharge, and 6 and 12 months after
-- adoption (only dates on or before the as-of date: later ones are not known yet).
CREATE OR REPLACE TABLE panel_outcome_scores AS
WITH points AS (
    SELECT s.cohort, s.episode, s.perpetrator_id, p.point, p.eval_date
    FROM panel_subjects s
    CROSS JOIN panel_params pp
    CROSS JOIN LATERAL (VALUES
        ('adoption', s.adopted_on),
        ('discharge', s.discharged_on),
        ('6m', (s.adopted_on + INTERVAL 6 MONTH)::DATE),
        ('12m', (s.adopted_on + INTERVAL 12 MONTH)::DATE)
    ) AS p(point, eval_date)
    WHERE p.eval_date IS NOT NULL AND p.eval_date <= pp.as_of
),
pairs AS (SELECT DISTINCT perpetrator_id, eval_date FROM points)
SELECT p.cohort, p.episode, p.point, r.*
FROM points p
JOIN panel_rfg_at('pairs') r USING (perpetrator_id, eval_date)
