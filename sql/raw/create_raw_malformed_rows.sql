-- Source rows the CSV reader could not parse at all (unterminated quote, broken line).
CREATE OR REPLACE TABLE raw_malformed_rows (
    file_id INTEGER, source_row BIGINT, error_type VARCHAR
)
