-- Register the files read in this run as kept, once their rows are in the cache tables.
INSERT INTO cache_files
SELECT file_key, table_name, sha256, rows_read FROM raw_files WHERE loaded
