-- Involvement rows that cannot be used: source file, row number, reason, and the values as read.
CREATE OR REPLACE VIEW quarantine_involvements AS
FROM stg_quarantined('stg_involvements_checked', 'cache_involvements')
