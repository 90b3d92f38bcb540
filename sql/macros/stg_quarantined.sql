-- The rows of one table that cannot be used: source file, row number, reason, and the values as
-- read. `checked` names the table's stg_*_checked table; `raw` a relation holding its raw table's
-- columns and rowid as `raw_rowid` (a table macro cannot see a table's rowid).
CREATE OR REPLACE MACRO stg_quarantined(checked, raw) AS TABLE
SELECT f.path AS source_file, f.extract_name, c.source_row, c.reason,
       r.* EXCLUDE (file_id, raw_rowid), c.file_id
FROM query_table(checked) c
JOIN raw_files f USING (file_id)
JOIN query_table(raw) r ON r.raw_rowid = c.raw_rowid
WHERE c.reason IS NOT NULL
