-- Involvement rows that cannot be used: source file, row number, reason, and the values as read.
CREATE OR REPLACE VIEW quarantine_involvements AS
WITH raw AS (SELECT rowid AS raw_rowid, * FROM raw_involvements)
FROM stg_quarantined('stg_involvements_checked', 'raw')
