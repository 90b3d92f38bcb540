-- The (normalised) column names of the decisions file's header.
SELECT column_name
FROM (DESCRIBE SELECT * FROM read_csv($decisions_path, header = true, all_varchar = true,
                                      normalize_names = true, delim = ',', quote = '"',
                                      escape = '"'))
