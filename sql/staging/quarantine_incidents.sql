-- Incident rows that cannot be used: source file, row number, reason, and the values as read.
CREATE OR REPLACE VIEW quarantine_incidents AS
FROM stg_quarantined('stg_incidents_checked', 'cache_incidents')
