-- Like failing_rows, for checks whose failing rows come in groups sharing an id (duplicates,
-- orphans): every failing row is counted, the $n smallest ids are listed once each.
CREATE OR REPLACE TEMP MACRO failing_distinct(flag, id, n) AS
    {'rows': count(*) FILTER (WHERE flag), 'ids': min(DISTINCT CASE WHEN flag THEN id END, n)}
