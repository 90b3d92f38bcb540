-- Source rows of every kept file that the CSV reader could not split into fields.
CREATE TABLE IF NOT EXISTS cache_malformed_rows (
    file_key VARCHAR, source_row BIGINT, error_type VARCHAR
)
