-- Whose outcomes are measured: every adoption episode ('adopted'), and beside each its
-- comparison group ('comparison'): people listed at the same cycle date with the same score who
-- were never adopted (no usable decision on or before the as-of date), measured over the same
-- dates as the adopted person (their adoption, discharge, +6 and +12 months).
CREATE OR REPLACE TABLE panel_subjects AS
SELECT 'adopted' AS cohort, e.episode, e.perpetrator_id, e.area, e.adopted_on, e.discharged_on,
       e.tactic, e.cycle_date, a.rfg_score AS rfg_at_cycle
FROM panel_episodes e
LEFT JOIN panel_cycle_scores a ON a.perpetrator_id = e.perpetrator_id AND a.eval_date = e.cycle_date
UNION ALL
SELECT 'comparison', e.episode, c.perpetrator_id, e.area, e.adopted_on, e.discharged_on,
       e.tactic, e.cycle_date, c.rfg_score
FROM panel_episodes e
JOIN panel_cycle_scores a ON a.perpetrator_id = e.perpetrator_id AND a.eval_date = e.cycle_date
JOIN panel_cycle_scores c ON c.eval_date = e.cycle_date AND c.rfg_score = a.rfg_score
WHERE c.perpetrator_id NOT IN (SELECT perpetrator_id FROM panel_episodes)
