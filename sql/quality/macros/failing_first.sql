-- Like failing_rows, for rows that have no id: the references of the first $n failing rows in
-- `position` order (e.g. [file_id, source_row]).
CREATE OR REPLACE TEMP MACRO failing_first(flag, ref, position, n) AS
    {'rows': count(*) FILTER (WHERE flag), 'ids': arg_min(CASE WHEN flag THEN ref END, position, n)}
