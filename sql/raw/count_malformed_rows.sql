-- This file's rows the CSV reader rejected, and those among them that open a quote and never
-- close it (their source rows, for the progress line).
SELECT count(*),
       coalesce(list(source_row ORDER BY source_row) FILTER (WHERE error_type = 'UNTERMINATED QUOTE'), [])
FROM raw_malformed_rows
WHERE file_id = $file_id
