-- One check of a profile (sql/quality/profile_*.sql), as an aggregate over the rows it judges:
-- how many rows `flag` marks as failing and the $n smallest of their ids (NULL ids skipped).
-- Id strings are only kept for failing rows, so memory stays flat at any size.
CREATE OR REPLACE TEMP MACRO failing_rows(flag, id, n) AS
    {'rows': count(*) FILTER (WHERE flag), 'ids': min(CASE WHEN flag THEN id END, n)}
