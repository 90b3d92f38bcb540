-- The kept rows (sql/cache/) of one table for the files in `files` (raw_files, or the files a
-- run adds: stg_new_files), with the run's file_id and extract_seq joined on. `kept` names the
-- cache_* table; staging keeps every column but the values as read (raw_*).
CREATE OR REPLACE MACRO stg_kept_rows(kept, files) AS TABLE
SELECT f.file_id, f.extract_seq, c.* EXCLUDE (file_key)
FROM (SELECT COLUMNS(lambda c: NOT starts_with(c, 'raw_')) FROM query_table(kept)) c
JOIN query_table(files) f USING (file_key)
