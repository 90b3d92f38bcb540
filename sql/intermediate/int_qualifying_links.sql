-- MATAC rule clauses 1-3: one row per (cycle, perpetrator, victim, incident) where the incident
-- is DA-flagged, falls in the window (both ends included, nothing after the as-of date), the
-- perpetrator (suspect/offender) is at least min_age or of unknown age on the day, and the
-- victim is another person (after identity resolution) at least min_age or of unknown age.
CREATE OR REPLACE TABLE int_qualifying_links AS
WITH perpetrators AS (
    SELECT incident_id, resolved_person_id, occurred_date
    FROM int_involvements
    WHERE role IN ('suspect', 'offender')
      AND (age_on_day IS NULL OR age_on_day >= $min_age)
),
victims AS (
    SELECT incident_id, resolved_person_id
    FROM int_involvements
    WHERE role = 'victim'
      AND (age_on_day IS NULL OR age_on_day >= $min_age)
)
SELECT DISTINCT
    c.cycle,
    p.resolved_person_id AS perpetrator_id,
    v.resolved_person_id AS victim_id,
    p.incident_id
FROM perpetrators p
JOIN victims v ON v.incident_id = p.incident_id AND v.resolved_person_id <> p.resolved_person_id
JOIN int_cycles c ON p.occurred_date BETWEEN c.window_start AND c.as_of
