-- Forget the kept files this run does not name (every file when $rebuild); their rows go with
-- sql/cache/prune_*.sql.
DELETE FROM cache_files WHERE $rebuild OR file_key NOT IN (SELECT file_key FROM raw_files)
