-- The rows of one table that cannot be used: source file, row number, reason, and the values as
-- read. `checked` names the table's stg_*_checked table; `cached` its cache_* table, which keeps
-- the values as read in the columns named raw_<column>.
CREATE OR REPLACE MACRO stg_quarantined(checked, cached) AS TABLE
WITH raw AS (SELECT file_key, source_row, COLUMNS('^raw_(.*)$') AS '\1' FROM query_table(cached))
SELECT f.path AS source_file, f.extract_name, c.source_row, c.reason,
       r.* EXCLUDE (file_key, source_row), c.file_id
FROM query_table(checked) c
JOIN raw_files f USING (file_id)
JOIN raw r ON r.file_key = f.file_key AND r.source_row = c.source_row
WHERE c.reason IS NOT NULL
