-- The files the stg_*_checked tables now hold besides those already recorded (after a rebuild:
-- all of the run's files), with the fingerprint of the code that built them.
INSERT INTO stg_built_files
SELECT file_id, extract_seq, file_key, $fingerprint FROM stg_new_files
