-- Drop the kept incidents rows of forgotten files (and of a file whose keeping was interrupted).
DELETE FROM cache_incidents WHERE file_key NOT IN (SELECT file_key FROM cache_files)
