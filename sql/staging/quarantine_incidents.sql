-- incidents rows that cannot be used, with the source file, row number and reason.
CREATE OR REPLACE VIEW quarantine_incidents AS
SELECT f.path AS source_file, f.extract_name, c.*
FROM stg_incidents_checked c JOIN raw_files f USING (file_id)
WHERE c.reason IS NOT NULL
