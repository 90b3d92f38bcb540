-- Age in whole years on a day (birthday reached on the day itself counts).
CREATE OR REPLACE MACRO age_years(dob, on_day) AS (
    year(on_day) - year(dob)
    - CASE WHEN month(on_day) * 100 + day(on_day) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END
)
