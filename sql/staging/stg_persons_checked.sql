-- Every person (nominal) row of the run's files, parsed, with the first reason it cannot be used
-- (NULL = usable) and, for usable rows, whether it is the current version (newest extract
-- holding the id). Parsing and checks within each file: sql/cache/keep_persons.sql. A run that
-- only adds newer extracts appends instead (sql/staging/append_persons.sql).
CREATE OR REPLACE TABLE stg_persons_checked AS
WITH checked AS (FROM stg_kept_rows('cache_persons', 'raw_files'))
FROM stg_current('checked', 'person_id')
