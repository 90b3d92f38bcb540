-- A contract date: ISO YYYY-MM-DD or UK DD/MM/YYYY, an optional time part ignored. NULL if neither.
CREATE OR REPLACE MACRO extract_date(x) AS (
    coalesce(
        try_strptime(split_part(replace(trim(x), 'T', ' '), ' ', 1), '%Y-%m-%d'),
        try_strptime(split_part(trim(x), ' ', 1), '%d/%m/%Y')
    )::DATE
)
