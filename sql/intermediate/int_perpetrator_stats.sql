-- Per cycle and perpetrator: incidents (n), distinct victims (v), gravity (g), latest incident,
-- the most serious offence, and whether the MATAC thresholds (clause 5) are met.
-- Deterministic whatever the row order or thread count:
-- * gravity is summed exactly (as DECIMAL, then back to DOUBLE), so fractional weights from a
--   force's gravity table give the same total in any summation order;
-- * the most serious offence (code and description, from one incident) is the heaviest
--   qualifying incident's; among equally heavy ones the latest; among those on the same day,
--   the largest incident id (8L and 8Q both weigh 40: ties are common).
CREATE OR REPLACE TABLE int_perpetrator_stats AS
WITH per_incident AS (
    SELECT cycle, perpetrator_id,
           count(*) AS incidents_in_window,
           sum(weight::DECIMAL(38, 10))::DOUBLE AS gravity_total,
           max(occurred_date) AS last_incident_date,
           count(*) FILTER (WHERE dash_risk = 'high') AS high_risk_incidents,
           arg_max({'code': coalesce(offence_code, record_type), 'description': offence_description},
                   {'weight': weight, 'day': occurred_date, 'incident': incident_id})
               AS most_serious
    FROM int_qualifying_incidents
    GROUP BY cycle, perpetrator_id
),
per_victim AS (
    SELECT cycle, perpetrator_id, count(DISTINCT victim_id) AS victims_in_window
    FROM int_qualifying_links
    GROUP BY cycle, perpetrator_id
)
SELECT
    i.* EXCLUDE (most_serious),
    i.most_serious.code AS most_serious_offence,
    i.most_serious.description AS most_serious_offence_description,
    v.victims_in_window, c.as_of,
    (c.as_of - i.last_incident_date) AS days_since_last_incident,
    i.incidents_in_window >= $min_incidents AND v.victims_in_window >= $min_victims AS is_serial
FROM per_incident i
JOIN per_victim v USING (cycle, perpetrator_id)
JOIN int_cycles c USING (cycle)
