-- What the simple baselines order the configured model's list by, per cycle date: qualifying
-- incidents in the window (frequency only), harm of the qualifying incidents in the 12 months
-- before D (occurred_date > D - 12 months) and incidents graded DASH high.
CREATE OR REPLACE TABLE bt_baseline_inputs AS
WITH harm_12m AS (
    SELECT q.cycle, q.perpetrator_id, sum(q.weight) AS harm_12m
    FROM int_qualifying_incidents q
    JOIN int_cycles c USING (cycle)
    WHERE q.occurred_date > (c.as_of - to_months(12))::DATE
    GROUP BY q.cycle, q.perpetrator_id
)
SELECT s.as_of, s.perpetrator_id, s.incidents_in_window, s.high_risk_incidents,
       coalesce(h.harm_12m, 0) AS harm_12m
FROM int_perpetrator_scores s
LEFT JOIN harm_12m h USING (cycle, perpetrator_id)
