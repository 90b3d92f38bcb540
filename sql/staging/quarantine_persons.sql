-- Person rows that cannot be used: source file, row number, reason, and the values as read.
-- (personal data: this view stays in the database and never reaches a report)
CREATE OR REPLACE VIEW quarantine_persons AS
FROM stg_quarantined('stg_persons_checked', 'cache_persons')
