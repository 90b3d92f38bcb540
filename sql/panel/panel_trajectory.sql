-- RFG of every pack member at each of the last panel.trajectory_cycles cycle dates (the as-of
-- date minus k cycles, k = 0 .. n-1; k = 0 is the list itself, k = 1 the movement's cycle).
CREATE OR REPLACE TABLE panel_trajectory AS
WITH pairs AS (
    SELECT m.perpetrator_id, (pp.as_of - (k * pp.cycle_days)::INTEGER)::DATE AS eval_date
    FROM panel_members m
    CROSS JOIN panel_params pp
    CROSS JOIN (SELECT unnest(range(trajectory_cycles)) AS k FROM panel_params) c
)
SELECT * FROM panel_rfg_at('pairs')
ORDER BY perpetrator_id, eval_date
