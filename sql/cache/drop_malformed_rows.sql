-- Drop the kept table cache_malformed_rows (new fingerprint or --rebuild); made again with its columns.
DROP TABLE IF EXISTS cache_malformed_rows
