INSERT INTO raw_files
SELECT $file_id, $extract_seq, $extract_name, $table_name, $path, $file_format, $encoding,
       $size_bytes, $sha256, $file_key, $loaded, $first_rowid, $rows_read, $raw_rows, $extra_columns
