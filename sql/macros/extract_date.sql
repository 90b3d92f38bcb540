-- A contract date: ISO YYYY-MM-DD or UK DD/MM/YYYY, optionally followed by a time of day, which
-- is ignored: after spaces (or, for ISO, a 'T'), HH:MM or HH:MM:SS, with fractions, 'Z' or an
-- offset as DuckDB's TIMETZ reads them. Anything else after the date makes the value no date
-- ('2025-06-01 garbage', '2025-06-01T25:99'). NULL if not a date.
-- The year must have four digits: '05/03/24' is not year 24 (strptime's %Y alone would take it).
-- (A date alone, the usual case, is decided by the first two branches.)
CREATE OR REPLACE MACRO extract_date(x) AS (
    CASE
        WHEN regexp_full_match(trim(x), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
            THEN try_strptime(trim(x), '%Y-%m-%d')
        WHEN regexp_full_match(trim(x), '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}')
            THEN try_strptime(trim(x), '%d/%m/%Y')
        WHEN try_cast(regexp_extract(trim(x), '^[0-9/-]+(?:T|\s+)(.+)$', 1) AS TIMETZ) IS NULL
            THEN NULL
        WHEN regexp_matches(trim(x), '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:T|\s)')
            THEN try_strptime(regexp_extract(trim(x), '^[0-9-]+'), '%Y-%m-%d')
        WHEN regexp_matches(trim(x), '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\s')
            THEN try_strptime(regexp_extract(trim(x), '^[0-9/]+'), '%d/%m/%Y')
    END::DATE
)
