-- An incident's gravity weight: a non-crime incident -> `non_crime_weight`; a crime with a code in
-- the gravity table -> that code's weight (`gravity_weight`); a crime with a missing or unknown
-- code -> `unknown_crime_weight` (reported in data quality). The rule
-- (sql/intermediate/int_incidents.sql) and the panel (sql/panel/panel_links.sql) both weigh
-- incidents with it.
CREATE OR REPLACE MACRO incident_weight(record_type, gravity_weight, non_crime_weight,
                                        unknown_crime_weight) AS (
    CASE WHEN record_type = 'non_crime' THEN non_crime_weight
         WHEN gravity_weight IS NULL THEN unknown_crime_weight
         ELSE gravity_weight END
)
