-- New qualifying DA incidents and new victims per subject after adoption, in
-- (adopted_on, min(discharged_on, as-of)], and after discharge, in (discharged_on, as-of]. A new
-- victim is one the person had no qualifying incident with on or before the window's start.
CREATE OR REPLACE TABLE panel_outcome_after AS
WITH windows AS (
    SELECT s.cohort, s.episode, s.perpetrator_id, w.period, w.start_date, w.end_date
    FROM panel_subjects s
    CROSS JOIN panel_params pp
    CROSS JOIN LATERAL (VALUES
        ('after_adoption', s.adopted_on, coalesce(s.discharged_on, pp.as_of)),
        ('after_discharge', s.discharged_on, pp.as_of)
    ) AS w(period, start_date, end_date)
    WHERE w.start_date IS NOT NULL
),
first_seen AS (
    SELECT perpetrator_id, victim_id, min(occurred_date) AS first_date
    FROM panel_links
    WHERE perpetrator_id IN (SELECT perpetrator_id FROM panel_subjects)
    GROUP BY ALL
)
SELECT w.cohort, w.episode, w.perpetrator_id, w.period,
       count(DISTINCT l.incident_id) AS new_incidents,
       count(DISTINCT l.victim_id) FILTER (WHERE f.first_date > w.start_date) AS new_victims
FROM windows w
LEFT JOIN panel_links l ON l.perpetrator_id = w.perpetrator_id
    AND l.occurred_date > w.start_date AND l.occurred_date <= w.end_date
LEFT JOIN first_seen f ON f.perpetrator_id = l.perpetrator_id AND f.victim_id = l.victim_id
GROUP BY ALL
