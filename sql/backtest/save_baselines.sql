-- The simple baselines: the configured model's list at each date in another order (ties by
-- perpetrator id): frequency only, harm in the last 12 months, DASH-high count.
INSERT INTO bt_rankings
SELECT 'frequency only', as_of, perpetrator_id,
       row_number() OVER (PARTITION BY as_of ORDER BY incidents_in_window DESC, perpetrator_id),
       incidents_in_window
FROM bt_baseline_inputs
UNION ALL
SELECT 'harm last 12 months', as_of, perpetrator_id,
       row_number() OVER (PARTITION BY as_of ORDER BY harm_12m DESC, perpetrator_id),
       harm_12m
FROM bt_baseline_inputs
UNION ALL
SELECT 'DASH-high count', as_of, perpetrator_id,
       row_number() OVER (PARTITION BY as_of ORDER BY high_risk_incidents DESC, perpetrator_id),
       high_risk_incidents
FROM bt_baseline_inputs
