-- Incident rows that cannot be used: source file, row number, reason, and the values as read.
CREATE OR REPLACE VIEW quarantine_incidents AS
WITH raw AS (SELECT rowid AS raw_rowid, * FROM raw_incidents)
FROM stg_quarantined('stg_incidents_checked', 'raw')
