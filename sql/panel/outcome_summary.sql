-- The cohort figures: for each cohort (adopted, comparison) and measure, the number of
-- measurements, of people, and the median and mean. Changes are RFG at the later point minus
-- RFG at adoption (0 when not listed); counts are per episode.
WITH changes AS (
    SELECT a.cohort, a.episode, a.perpetrator_id, 'rfg_change_to_' || x.point AS measure,
           x.rfg_score - a.rfg_score AS value
    FROM panel_outcome_scores a
    JOIN panel_outcome_scores x
        ON x.cohort = a.cohort AND x.episode = a.episode AND x.perpetrator_id = a.perpetrator_id
       AND x.point <> 'adoption'
    WHERE a.point = 'adoption'
),
levels AS (
    SELECT cohort, episode, perpetrator_id, 'rfg_at_' || point AS measure, rfg_score AS value
    FROM panel_outcome_scores
),
counts AS (
    SELECT cohort, episode, perpetrator_id, 'new_incidents_' || period AS measure,
           new_incidents AS value
    FROM panel_outcome_after
    UNION ALL
    SELECT cohort, episode, perpetrator_id, 'new_victims_' || period, new_victims
    FROM panel_outcome_after
),
everything AS (
    SELECT * FROM levels UNION ALL SELECT * FROM changes UNION ALL SELECT * FROM counts
)
SELECT cohort, measure, count(*) AS n, count(DISTINCT perpetrator_id) AS people,
       median(value) AS median, avg(value) AS mean
FROM everything
GROUP BY cohort, measure
ORDER BY measure, cohort
