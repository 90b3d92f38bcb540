-- Problems in the gravity table: blank or repeated codes, weights that are not non-negative numbers.
SELECT offence_code, count(*) AS n, bool_or(weight IS NULL OR weight < 0) AS bad_weight
FROM ref_gravity
GROUP BY offence_code
HAVING offence_code IS NULL OR offence_code = '' OR count(*) > 1 OR bool_or(weight IS NULL OR weight < 0)
ORDER BY offence_code
