-- The files behind the current raw tables (for the run manifest and the data-quality report).
SELECT extract_seq, extract_name, table_name, path, file_format, encoding, size_bytes, sha256,
       rows_read, extra_columns
FROM raw_files ORDER BY file_id
