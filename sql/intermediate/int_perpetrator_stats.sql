-- Per cycle and perpetrator: incidents (n), distinct victims (v), gravity (g), latest incident,
-- and whether the MATAC thresholds (clause 5) are met.
CREATE OR REPLACE TABLE int_perpetrator_stats AS
WITH per_incident AS (
    SELECT cycle, perpetrator_id,
           count(*) AS incidents_in_window,
           sum(weight) AS gravity_total,
           max(occurred_date) AS last_incident_date,
           count(*) FILTER (WHERE dash_risk = 'high') AS high_risk_incidents,
           -- the heaviest incident's offence; equal weights (8L and 8Q both weigh 40) by code,
           -- so that the same data always names the same offence
           first(coalesce(offence_code, record_type)
                 ORDER BY weight DESC, coalesce(offence_code, record_type)) AS most_serious_offence,
           first(offence_description
                 ORDER BY weight DESC, coalesce(offence_code, record_type)) AS most_serious_offence_description
    FROM int_qualifying_incidents
    GROUP BY cycle, perpetrator_id
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
