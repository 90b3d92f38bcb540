-- Age in whole years on a day (birthday reached on the day itself counts). Plain arithmetic:
-- negative for a date of birth after the day. The rule treats impossible and implausible ages
-- as unknown (sql/intermediate/int_involvements.sql).
CREATE OR REPLACE MACRO age_years(dob, on_day) AS (
    year(on_day) - year(dob)
    - CASE WHEN month(on_day) * 100 + day(on_day) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END
)
