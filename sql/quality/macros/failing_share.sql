-- A rate check: of the rows `among` marks (the total), how many `flag` marks as failing, and
-- the $n smallest ids of those. The rate itself (rows / total) is computed in Python.
CREATE OR REPLACE TEMP MACRO failing_share(flag, among, id, n) AS {
    'rows': count(*) FILTER (WHERE among AND flag),
    'total': count(*) FILTER (WHERE among),
    'ids': min(CASE WHEN among AND flag THEN id END, n)
}
