-- Lines the CSV reader rejected for this file (line numbers count the header as line 1).
INSERT INTO raw_malformed_rows
SELECT DISTINCT $file_id, e.line - 1 AS source_row, e.error_type::VARCHAR
FROM raw_reject_errors e
JOIN raw_reject_scans s USING (scan_id)
WHERE s.file_path = $path
