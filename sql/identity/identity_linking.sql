CREATE OR REPLACE TABLE identity_linking AS
SELECT $mode AS mode, CAST($nominals_changed AS BIGINT) AS nominals_changed,
       CAST($pairs_reused AS BIGINT) AS pairs_reused, CAST($pairs_scored AS BIGINT) AS pairs_scored
