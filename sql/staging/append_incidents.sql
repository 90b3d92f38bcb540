-- Append the incidents rows of the run's new files (sql/staging/can_append.sql); usable rows come
-- in with is_current unknown (NULL), settled by sql/staging/settle_incidents.sql.
INSERT INTO stg_incidents_checked BY NAME
FROM stg_kept_rows('cache_incidents', 'stg_new_files')
