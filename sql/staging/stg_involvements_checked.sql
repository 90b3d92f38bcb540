-- Every involvement row of the run's files, parsed, with the first reason it cannot be used
-- (NULL = usable; an involvement must point at an incident and a person loaded from the
-- extracts of this run: the macro stg_involvement_reasons). An incident's involvements come
-- from the newest extract that lists any for it (`is_current`): a newer extract's list of who
-- was involved replaces the older list whole. A run that only adds newer extracts appends
-- instead (sql/staging/append_involvements.sql).
CREATE OR REPLACE TABLE stg_involvements_checked AS
WITH kept AS (FROM stg_kept_rows('cache_involvements', 'raw_files')),
checked AS (FROM stg_involvement_reasons('kept', 'stg_incidents_checked', 'stg_persons_checked'))
FROM stg_current('checked', 'incident_id')
