-- Rows the CSV reader rejected shift the position of the rows after them. For the j-th
-- rejected row r_j of a file, `good_before` = r_j - j rows were loaded before it, so a loaded
-- row k (1-based, in file order) sits at source row k + (number of gaps with good_before < k).
-- Adjacent rejected rows share a `good_before`: one row per value, with the highest count, so
-- that the ASOF join in staging finds exactly one match.
CREATE OR REPLACE TABLE stg_row_gaps AS
SELECT file_id, good_before, max(gaps_so_far) AS gaps_so_far
FROM (
    SELECT
        file_id,
        row_number() OVER (PARTITION BY file_id ORDER BY source_row) AS gaps_so_far,
        source_row - row_number() OVER (PARTITION BY file_id ORDER BY source_row) AS good_before
    FROM raw_malformed_rows
)
GROUP BY file_id, good_before
