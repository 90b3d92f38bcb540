-- The checked rows of one table over every file of the run (`checked`: extract_seq, `reason`
-- and the key column named `current_key`), with `is_current`: a usable row is current when no
-- newer extract holds its key (NULL for unusable rows). Recomputed on every run, over the
-- files the run names.
CREATE OR REPLACE MACRO stg_current(checked, current_key) AS TABLE
WITH superseded AS (
    SELECT COLUMNS(lambda c: c = current_key), max(extract_seq) AS latest_seq
    FROM query_table(checked) WHERE reason IS NULL
    GROUP BY ALL HAVING min(extract_seq) < max(extract_seq)
)
SELECT
    r.*,
    CASE WHEN r.reason IS NULL THEN s.latest_seq IS NULL OR r.extract_seq = s.latest_seq END AS is_current
FROM query_table(checked) r NATURAL LEFT JOIN superseded s
