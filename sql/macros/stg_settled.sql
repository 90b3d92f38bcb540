-- After an append (pipeline/ingest/stage.py): the usable rows of `checked` (a stg_*_checked
-- table, keyed by the column named `current_key`) whose is_current must change. For every id
-- with a usable row whose is_current is unknown (NULL: new, or an orphan that became usable),
-- the rows from the newest extract holding it are current and the others superseded, as
-- sql/macros/stg_current.sql decides for a whole build. Rows by file_id and source_row.
CREATE OR REPLACE MACRO stg_settled(checked, current_key) AS TABLE
WITH keyed AS (
    SELECT file_id, source_row, extract_seq, is_current, COLUMNS(lambda c: c = current_key) AS id
    FROM query_table(checked) WHERE reason IS NULL
),
latest AS (
    SELECT id, max(extract_seq) AS latest_seq
    FROM keyed WHERE id IN (SELECT id FROM keyed WHERE is_current IS NULL)
    GROUP BY id
)
SELECT k.file_id, k.source_row, k.extract_seq = l.latest_seq AS is_current
FROM keyed k JOIN latest l USING (id)
WHERE k.is_current IS DISTINCT FROM (k.extract_seq = l.latest_seq)
