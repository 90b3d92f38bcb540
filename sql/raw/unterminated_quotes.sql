-- Rejected records of this file that run over several lines: a quote opened in their first line
-- is not closed on it, so DuckDB's strict reader took every line up to the next quote as one
-- record, and the rows on those lines would be lost with it (a value holding a line break in a
-- row that is malformed anyway is taken the same way: no contract column holds free text).
-- Their source row (rows counted from 1, header not counted) and a byte in their first line (a
-- record can carry several errors: the first error's byte).
SELECT e.line - 1 AS source_row, min(e.byte_position) AS byte_position
FROM raw_reject_errors e
JOIN raw_reject_scans s USING (scan_id)
WHERE s.file_path = $path
GROUP BY e.line
HAVING bool_or(contains(trim(e.csv_line, chr(13) || chr(10)), chr(10)))
ORDER BY source_row
