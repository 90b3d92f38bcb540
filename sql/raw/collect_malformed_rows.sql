-- Rows the CSV reader rejected for this file (its line numbers count rows, the header as 1).
-- One rejected row can carry several errors (e.g. too many columns and a stray quote): it is
-- still one source row.
INSERT INTO raw_malformed_rows
SELECT $file_id, e.line - 1 AS source_row, string_agg(DISTINCT e.error_type::VARCHAR, ', ' ORDER BY e.error_type::VARCHAR)
FROM raw_reject_errors e
JOIN raw_reject_scans s USING (scan_id)
WHERE s.file_path = $path
GROUP BY e.line
