-- Persisted floor (bench only): the extract's persons as a typed table of a fresh database file,
-- loaded by DuckDB itself from the Parquet file (its types as written).
CREATE TABLE persons AS SELECT * FROM read_parquet($persons_path)
