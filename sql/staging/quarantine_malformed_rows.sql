-- Source rows the CSV reader could not split into fields at all.
CREATE OR REPLACE VIEW quarantine_malformed_rows AS
SELECT f.path AS source_file, f.extract_name, f.table_name, m.source_row,
       'malformed_row' AS reason, m.error_type
FROM cache_malformed_rows m JOIN raw_files f USING (file_key)
