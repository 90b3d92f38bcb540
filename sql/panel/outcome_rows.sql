-- One row per subject (cohort, episode, person): RFG and parts at each point, the new
-- incidents and victims after adoption and after discharge. Points not reached yet are NULL.
WITH wide AS (
    PIVOT (
        SELECT cohort, episode, perpetrator_id, point, listed, rfg_score AS rfg,
               recency_points AS recency, frequency_points AS frequency,
               gravity_points AS gravity, victims_points AS victims
        FROM panel_outcome_scores
    )
    ON point IN ('adoption', 'discharge', '6m', '12m')
    USING any_value(listed) AS listed, any_value(rfg) AS rfg, any_value(recency) AS recency,
          any_value(frequency) AS frequency, any_value(gravity) AS gravity,
          any_value(victims) AS victims
    GROUP BY cohort, episode, perpetrator_id
),
after AS (
    PIVOT (SELECT cohort, episode, perpetrator_id, period, new_incidents, new_victims
           FROM panel_outcome_after)
    ON period IN ('after_adoption', 'after_discharge')
    USING any_value(new_incidents) AS incidents, any_value(new_victims) AS victims
    GROUP BY cohort, episode, perpetrator_id
),
groups AS (
    SELECT episode, count(*) AS comparison_group
    FROM panel_subjects WHERE cohort = 'comparison' GROUP BY episode
)
SELECT s.*, coalesce(g.comparison_group, 0) AS comparison_group,
       w.* EXCLUDE (cohort, episode, perpetrator_id),
       a.* EXCLUDE (cohort, episode, perpetrator_id)
FROM panel_subjects s
LEFT JOIN wide w USING (cohort, episode, perpetrator_id)
LEFT JOIN after a USING (cohort, episode, perpetrator_id)
LEFT JOIN groups g USING (episode)
WHERE s.cohort = $cohort
ORDER BY s.area, s.adopted_on, s.perpetrator_id, s.episode
