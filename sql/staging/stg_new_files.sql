-- The run's files that the stg_*_checked tables do not hold yet (all of them after a rebuild
-- starts).
CREATE OR REPLACE VIEW stg_new_files AS
SELECT * FROM raw_files WHERE file_id NOT IN (SELECT file_id FROM stg_built_files)
