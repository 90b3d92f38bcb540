-- Term frequencies of the names on this run's nominals, as Splink computes them: the share of
-- the nominals with a value that hold this value.
CREATE OR REPLACE TEMP TABLE identity_tf AS
SELECT 'forename' AS field, forename AS value,
       CAST(count(*) AS DOUBLE) / (SELECT count(forename) FROM identity_nominals) AS tf
FROM identity_nominals WHERE forename IS NOT NULL GROUP BY forename
UNION ALL
SELECT 'surname', surname,
       CAST(count(*) AS DOUBLE) / (SELECT count(surname) FROM identity_nominals)
FROM identity_nominals WHERE surname IS NOT NULL GROUP BY surname
