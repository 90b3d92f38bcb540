-- Every involvement row of every kept file, parsed and checked within its file, with its
-- values as read (raw_*): `row_reason` is what makes the row unusable on its own, `reason`
-- that or a duplicate within the file. Whether its incident and person were loaded depends on
-- the other files of a run (sql/staging/stg_involvements_checked.sql).
CREATE TABLE IF NOT EXISTS cache_involvements (
    file_key VARCHAR, source_row BIGINT,
    incident_id VARCHAR, person_id VARCHAR, role VARCHAR, relationship VARCHAR,
    row_reason VARCHAR, reason VARCHAR, issues VARCHAR[],
    raw_incident_id VARCHAR, raw_person_id VARCHAR, raw_role VARCHAR, raw_relationship VARCHAR
)
