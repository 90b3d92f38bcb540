-- Benchmark floor (bench only): its as-of date, the latest occurred_date of the extract (as
-- the pipeline's default; `$incidents_table` as in `floor.sql`). `floor.sql` then runs with the
-- rule's parameters at that date.
SELECT max(occurred_date::DATE) AS as_of FROM query_table($incidents_table)
