-- The raw rows of one table with where each came from: `extract_seq` of its extract and
-- `source_row`, its 1-based data row in its file. `raw` names a relation holding the raw
-- table's columns and its rowid as `raw_rowid` (a table macro cannot see a table's rowid);
-- `gaps` names stg_row_gaps. Rows the CSV reader rejected shift the rows after them: the
-- ASOF join on the gaps places those; files without rejected rows skip it. (numbered is read
-- twice but not materialized: without rejected CSV rows the second read is empty.)
CREATE OR REPLACE MACRO stg_positioned(raw, gaps) AS TABLE
WITH numbered AS NOT MATERIALIZED (
    SELECT r.*, f.extract_seq, r.raw_rowid - f.first_rowid + 1 AS k,
           f.rows_read > f.raw_rows AS has_gaps
    FROM query_table(raw) r JOIN raw_files f USING (file_id)
)
SELECT * EXCLUDE (has_gaps, k), k AS source_row FROM numbered WHERE NOT has_gaps
UNION ALL
SELECT n.* EXCLUDE (has_gaps, k), n.k + coalesce(g.gaps_so_far, 0)
FROM numbered n ASOF LEFT JOIN query_table(gaps) g ON n.file_id = g.file_id AND n.k > g.good_before
WHERE n.has_gaps
