-- Keep the rows the CSV reader rejected in the files read in this run (its line numbers count
-- rows, the header as 1: the rows were collected per file in sql/raw/collect_malformed_rows.sql).
INSERT INTO cache_malformed_rows
SELECT f.file_key, m.source_row, m.error_type
FROM raw_malformed_rows m JOIN raw_files f USING (file_id)
