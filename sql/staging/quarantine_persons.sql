-- Person rows that cannot be used: source file, row number, reason, and the values as read
-- (personal data: this view stays in the database and never reaches a report).
CREATE OR REPLACE VIEW quarantine_persons AS
SELECT f.path AS source_file, f.extract_name, c.source_row, c.reason,
       r.* EXCLUDE (file_id), c.file_id
FROM stg_persons_checked c
JOIN raw_files f USING (file_id)
JOIN raw_persons r ON r.rowid = c.raw_rowid
WHERE c.reason IS NOT NULL
