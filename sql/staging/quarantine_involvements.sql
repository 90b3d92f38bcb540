-- Involvement rows that cannot be used: source file, row number, reason, and the values as read.
CREATE OR REPLACE VIEW quarantine_involvements AS
SELECT f.path AS source_file, f.extract_name, c.source_row, c.reason,
       r.* EXCLUDE (file_id), c.file_id
FROM stg_involvements_checked c
JOIN raw_files f USING (file_id)
JOIN raw_involvements r ON r.rowid = c.raw_rowid
WHERE c.reason IS NOT NULL
