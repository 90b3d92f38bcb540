-- The age in whole years on a day as the rule counts it: unknown (NULL) when the date of birth
-- is missing, after the day (impossible) or gives an age above `max_age` (implausible), so that
-- a bad date of birth never drops anybody (the data-quality report warns about it). The rule
-- (sql/intermediate/int_involvements.sql) and the panel's scores at other dates
-- (sql/panel/panel_links.sql) both count ages with it.
CREATE OR REPLACE MACRO age_on_day(dob, on_day, max_age) AS (
    CASE WHEN dob <= on_day AND age_years(dob, on_day) <= max_age
         THEN age_years(dob, on_day) END
)
