-- Forget the kept files this run does not name, and those it read again (so that staging run
-- twice on the same raw tables keeps each file once). Their rows go
-- with sql/cache/prune_*.sql.
DELETE FROM cache_files
WHERE file_key NOT IN (SELECT file_key FROM raw_files)
   OR file_key IN (SELECT file_key FROM raw_files WHERE loaded)
