-- What each person did after each cycle date D: their qualifying incidents at any time
-- (int_qualifying_incidents over all_time_cycles) in (D, D + horizon], with the harm (sum of
-- incident weights, an exact decimal), count and heaviest weight.
CREATE OR REPLACE TABLE bt_future AS
SELECT d.as_of, q.perpetrator_id,
       sum(q.weight::DECIMAL(18, 4)) AS future_harm,
       count(*) AS future_incidents,
       max(q.weight) AS max_weight
FROM int_qualifying_incidents q
JOIN (SELECT unnest($dates::DATE[]) AS as_of) d
  ON q.occurred_date > d.as_of AND q.occurred_date <= (d.as_of + to_months($horizon_months))::DATE
GROUP BY d.as_of, q.perpetrator_id
