-- Persisted floor (bench only): the extract's incidents as a typed table of a fresh database file,
-- loaded by DuckDB itself from the Parquet file (its types as written).
CREATE TABLE incidents AS SELECT * FROM read_parquet($incidents_path)
