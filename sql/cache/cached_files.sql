-- The kept files: file_key and rows read.
SELECT file_key, rows_read FROM cache_files ORDER BY file_key
