-- Persisted floor (bench only): the extract's involvements as a typed table of a fresh database file,
-- loaded by DuckDB itself from the Parquet file (its types as written).
CREATE TABLE involvements AS SELECT * FROM read_parquet($involvements_path)
