-- Drop the kept involvements rows of forgotten files (and of a file whose keeping was interrupted).
DELETE FROM cache_involvements WHERE file_key NOT IN (SELECT file_key FROM cache_files)
