-- Read one Parquet file whose column names are already the normalised contract names: the
-- contract columns ($keep) as text, scanned by DuckDB in parallel. (Files with other spellings
-- of the names are renamed by an Arrow scanner instead; see pipeline/ingest.py.)
SELECT COLUMNS(lambda c: list_contains($keep, c))::VARCHAR
FROM read_parquet($path)
