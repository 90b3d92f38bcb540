-- The rows of one file-level staging table (`typed`: file_id, source_row, the parsed values and
-- `row_reason`, the first reason the row cannot be used on its own, NULL = usable) checked
-- against the other rows of their file. Out: the same columns and `reason`.
-- An id (`id_columns`) seen more than once in a file: found by a cheap integer grouping, then
-- checked exactly. Different values (`version_columns`) under it: none of its rows can be
-- trusted (`duplicate_reason`); exact copies of an earlier row: the first is kept
-- ('duplicate_row'). Depends on the file alone, so it is kept per file (sql/cache/).
-- (The join is NATURAL: on file_id and the id columns. Rows already unusable may match; their
-- reason stands, as coalesce keeps it.)
CREATE OR REPLACE MACRO stg_deduplicated(typed, id_columns, version_columns, duplicate_reason) AS TABLE
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
)
SELECT t.*,
    coalesce(
        t.row_reason,
        CASE WHEN d.versions > 1 THEN duplicate_reason
             WHEN d.first_row < t.source_row THEN 'duplicate_row' END
    ) AS reason
FROM query_table(typed) t NATURAL LEFT JOIN repeated d
