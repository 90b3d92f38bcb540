-- Append the persons rows of the run's new files (sql/staging/can_append.sql); usable rows come
-- in with is_current unknown (NULL), settled by sql/staging/settle_persons.sql.
INSERT INTO stg_persons_checked BY NAME
FROM stg_kept_rows('cache_persons', 'stg_new_files')
