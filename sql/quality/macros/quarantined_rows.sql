-- The quarantined rows of a `stg_<table>_checked` table, each with `row_ref`
-- (extract/file:row, data rows counted from 1): what a profile names a row by when its id is
-- missing. Every column of the checked table is kept; the profiles read ids and reasons only.
CREATE OR REPLACE TEMP MACRO quarantined_rows(checked) AS TABLE
    SELECT c.*,
           f.extract_name || '/' || regexp_extract(f.path, '[^/\\]+$') || ':' || c.source_row AS row_ref
    FROM query_table(checked) c JOIN raw_files f USING (file_id)
    WHERE c.reason IS NOT NULL
