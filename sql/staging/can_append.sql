-- Whether this run can append to the stg_*_checked tables rather than build them again: they
-- hold exactly some earlier files of this run (same numbers, same order, built by this code:
-- $fingerprint, kept rather than read again), and every other file of the run comes from a
-- newer extract than all of those. Supersession then only moves forward: the rows already
-- there keep their reasons, except orphans whose incident or person a new file brings.
WITH built AS (FROM stg_built_files),
unchanged AS (
    SELECT count(*) AS files
    FROM built b JOIN raw_files f USING (file_id)
    WHERE f.file_key = b.file_key AND f.extract_seq = b.extract_seq AND NOT f.loaded
      AND b.fingerprint = $fingerprint
)
SELECT (SELECT count(*) FROM built) > 0
   AND (SELECT files FROM unchanged) = (SELECT count(*) FROM built)
   AND coalesce((SELECT min(extract_seq) FROM stg_new_files), 2147483647)
       > (SELECT max(extract_seq) FROM built)
   AND (SELECT count(*) FROM duckdb_tables() WHERE table_name IN (
        'stg_incidents_checked', 'stg_persons_checked', 'stg_involvements_checked')) = 3
   AS can_append
