-- Per cycle and perpetrator: incidents (n), distinct victims (v), gravity (g), latest incident,
-- and whether the MATAC thresholds (clause 5) are met. scored_incidents / scored_gravity are
-- what the frequency and gravity points count: n and g over the last $count_window_days days of
-- the window (occurred_date > as-of - N; RFH), or n and g themselves when it is NULL.
CREATE OR REPLACE TABLE int_perpetrator_stats AS
WITH per_incident AS (
    SELECT q.cycle, q.perpetrator_id,
           count(*) AS incidents_in_window,
           sum(q.weight) AS gravity_total,
           max(q.occurred_date) AS last_incident_date,
           count(*) FILTER (WHERE q.dash_risk = 'high') AS high_risk_incidents,
           arg_max(coalesce(q.offence_code, q.record_type), q.weight) AS most_serious_offence,
           arg_max(q.offence_description, q.weight) AS most_serious_offence_description,
           count(*) FILTER (WHERE $count_window_days::INTEGER IS NULL
                               OR q.occurred_date > c.as_of - $count_window_days::INTEGER)
               AS scored_incidents,
           coalesce(sum(q.weight) FILTER (WHERE $count_window_days::INTEGER IS NULL
                               OR q.occurred_date > c.as_of - $count_window_days::INTEGER), 0)
               AS scored_gravity
    FROM int_qualifying_incidents q
    JOIN int_cycles c USING (cycle)
    GROUP BY q.cycle, q.perpetrator_id
),
per_victim AS (
    SELECT cycle, perpetrator_id, count(DISTINCT victim_id) AS victims_in_window
    FROM int_qualifying_links
    GROUP BY cycle, perpetrator_id
)
SELECT
    i.*, v.victims_in_window, c.as_of,
    (c.as_of - i.last_incident_date) AS days_since_last_incident,
    i.incidents_in_window >= $min_incidents AND v.victims_in_window >= $min_victims AS is_serial
FROM per_incident i
JOIN per_victim v USING (cycle, perpetrator_id)
JOIN int_cycles c USING (cycle)
