-- Every person (nominal) row of the run's files, parsed, with the first reason it cannot be used
-- (NULL = usable) and, for usable rows, whether it is the current version (newest extract
-- holding the id). Parsing and checks within each file: sql/cache/keep_persons.sql.
CREATE OR REPLACE TABLE stg_persons_checked AS
WITH checked AS (
    SELECT f.file_id, f.extract_seq, c.source_row, c.person_id, c.surname, c.forenames,
           c.date_of_birth, c.pnc_id, c.gender, c.reason, c.issues
    FROM cache_persons c JOIN raw_files f USING (file_key)
)
FROM stg_current('checked', 'person_id')
