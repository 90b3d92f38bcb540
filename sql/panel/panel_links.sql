-- Every qualifying (perpetrator, victim, incident) link on or before the as-of date, at any
-- date (the MATAC rule's clauses 2-3 without the window, which panel_rfg_at applies per date):
-- current DA incidents, suspect/offender and victim aged min_age or of unknown age on the day,
-- the victim another resolved person; ages and weights as the rule counts them (macros
-- age_on_day and incident_weight). With the incident's weight and the victim's relationship.
-- A temporary table: only the panel models of the same step read it (persisting it cost about
-- 3 s at 3M incidents, most of it writing the table at the step's end).
CREATE OR REPLACE TEMP TABLE panel_links AS
WITH incidents AS (
    SELECT i.incident_id, i.occurred_date,
           incident_weight(i.record_type, g.weight, pp.non_crime_weight,
                           pp.unknown_crime_weight) AS weight
    FROM stg_incidents i
    CROSS JOIN panel_params pp
    LEFT JOIN ref_gravity g ON g.offence_code = i.offence_code
    WHERE i.is_current AND coalesce(i.domestic_abuse_flag, true) AND i.occurred_date <= pp.as_of
),
involved AS (
    SELECT v.incident_id, p.resolved_person_id AS person_id, v.role, v.relationship,
           i.occurred_date, i.weight
    FROM stg_involvements v
    JOIN incidents i ON i.incident_id = v.incident_id
    JOIN int_person_identity p ON p.person_id = v.person_id
    CROSS JOIN panel_params pp
    WHERE v.is_current AND v.role IN ('suspect', 'offender', 'victim')
      AND coalesce(age_on_day(p.date_of_birth, i.occurred_date, pp.max_age) >= pp.min_age, true)
)
SELECT o.person_id AS perpetrator_id, v.person_id AS victim_id, o.incident_id,
       any_value(o.occurred_date) AS occurred_date, any_value(o.weight) AS weight,
       min(v.relationship) AS relationship
FROM involved o
JOIN involved v ON v.incident_id = o.incident_id AND v.role = 'victim' AND v.person_id <> o.person_id
WHERE o.role IN ('suspect', 'offender')
GROUP BY o.person_id, v.person_id, o.incident_id
