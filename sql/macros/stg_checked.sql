-- The rows of one staging table (`typed`: file_id, extract_seq, source_row, the parsed values
-- and `row_reason`, the first reason the row cannot be used on its own, NULL = usable) checked
-- against each other. Out: the same columns with `reason` for `row_reason`, and `is_current`.
-- - An id (`id_columns`) seen more than once in a file: found by a cheap integer grouping, then
--   checked exactly. Different values (`version_columns`) under it: none of its rows can be
--   trusted (`duplicate_reason`); exact copies of an earlier row: the first is kept
--   ('duplicate_row').
-- - A usable row is current when no newer extract holds its `current_key` (a column name).
-- (Both joins are NATURAL: on file_id and the id columns, then on the current key. Rows already
-- unusable may match; their reason stands, as coalesce and the CASE keep it.)
CREATE OR REPLACE MACRO stg_checked(typed, id_columns, version_columns, duplicate_reason, current_key) AS TABLE
WITH repeated_keys AS (
    SELECT hash(file_id, *COLUMNS(lambda c: list_contains(id_columns, c))) AS key_hash
    FROM query_table(typed) WHERE row_reason IS NULL
    GROUP BY key_hash HAVING count(*) > 1
),
repeated AS (
    SELECT file_id, COLUMNS(lambda c: list_contains(id_columns, c)),
           count(DISTINCT row(*COLUMNS(lambda c: list_contains(version_columns, c)))) AS versions,
           min(source_row) AS first_row
    FROM query_table(typed)
    WHERE row_reason IS NULL
      AND hash(file_id, *COLUMNS(lambda c: list_contains(id_columns, c))) IN (SELECT key_hash FROM repeated_keys)
    GROUP BY ALL
    HAVING count(*) > 1
),
reasoned AS (
    SELECT t.* EXCLUDE (row_reason),
        coalesce(
            t.row_reason,
            CASE WHEN d.versions > 1 THEN duplicate_reason
                 WHEN d.first_row < t.source_row THEN 'duplicate_row' END
        ) AS reason
    FROM query_table(typed) t NATURAL LEFT JOIN repeated d
),
superseded AS (
    SELECT COLUMNS(lambda c: c = current_key), max(extract_seq) AS latest_seq
    FROM reasoned WHERE reason IS NULL
    GROUP BY ALL HAVING min(extract_seq) < max(extract_seq)
)
SELECT
    r.*,
    CASE WHEN r.reason IS NULL THEN s.latest_seq IS NULL OR r.extract_seq = s.latest_seq END AS is_current
FROM reasoned r NATURAL LEFT JOIN superseded s
