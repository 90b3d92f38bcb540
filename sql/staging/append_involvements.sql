-- Append the involvement rows of the run's new files (sql/staging/can_append.sql), checked
-- against the incidents and persons of all the run's files; usable rows come in with
-- is_current unknown (NULL), settled by sql/staging/settle_involvements.sql.
INSERT INTO stg_involvements_checked BY NAME
WITH kept AS (FROM stg_kept_rows('cache_involvements', 'stg_new_files'))
FROM stg_involvement_reasons('kept', 'stg_incidents_checked', 'stg_persons_checked')
