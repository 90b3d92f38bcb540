-- The ids given to more than one current row of a staged table (a blank id counts as one,
-- shown as '(blank)'): the self-check that the newest-version logic left one usable row per
-- id. `id_column` names the id column of `staged`.
CREATE OR REPLACE TEMP MACRO repeated_ids(staged, id_column) AS TABLE
    SELECT coalesce(id, '(blank)') AS id
    FROM (SELECT COLUMNS(lambda c: c = id_column) AS id FROM query_table(staged) WHERE is_current)
    GROUP BY id HAVING count(*) > 1 OR id IS NULL
