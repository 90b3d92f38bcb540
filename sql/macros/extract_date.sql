-- A contract date: ISO YYYY-MM-DD or UK DD/MM/YYYY, an optional time part ignored. NULL if neither.
-- The year must have four digits: '05/03/24' is not year 24 (strptime's %Y alone would take it).
CREATE OR REPLACE MACRO extract_date(x) AS (
    CASE
        WHEN regexp_full_match(split_part(replace(trim(x), 'T', ' '), ' ', 1), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
            THEN try_strptime(split_part(replace(trim(x), 'T', ' '), ' ', 1), '%Y-%m-%d')
        WHEN regexp_full_match(split_part(trim(x), ' ', 1), '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}')
            THEN try_strptime(split_part(trim(x), ' ', 1), '%d/%m/%Y')
    END::DATE
)
