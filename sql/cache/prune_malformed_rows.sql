-- Drop the kept malformed_rows rows of forgotten files (and of a file whose keeping was interrupted).
DELETE FROM cache_malformed_rows WHERE file_key NOT IN (SELECT file_key FROM cache_files)
