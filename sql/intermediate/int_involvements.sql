-- The involvements the rule looks at: current involvements of suspects, offenders and victims
-- in DA-flagged incidents inside the evaluated windows, with the resolved person and the age on
-- the incident day (from the date of birth on that nominal record; macro age_on_day: unknown,
-- which counts, when the date of birth is missing, impossible or implausible).
-- A temporary table: only int_qualifying_links, in the same step, reads it.
CREATE OR REPLACE TEMP TABLE int_involvements AS
SELECT
    v.incident_id, v.person_id, p.resolved_person_id, v.role, v.relationship,
    i.occurred_date,
    age_on_day(p.date_of_birth, i.occurred_date, $max_age) AS age_on_day
FROM stg_involvements v
JOIN int_incidents i USING (incident_id)
JOIN int_person_identity p USING (person_id)
WHERE v.is_current
  AND v.role IN ('suspect', 'offender', 'victim')
  AND i.domestic_abuse_flag
  AND i.occurred_date BETWEEN (SELECT min(window_start) FROM int_cycles)
                          AND (SELECT max(as_of) FROM int_cycles)
