SELECT count(*) FROM raw_malformed_rows WHERE file_id = $file_id
