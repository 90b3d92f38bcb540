-- Every person row of every kept file, parsed and checked within its file (reason NULL =
-- usable on its own), with its values as read (raw_*). See sql/cache/keep_persons.sql.
-- (personal data: stays in the database)
CREATE TABLE IF NOT EXISTS cache_persons (
    file_key VARCHAR, source_row BIGINT,
    person_id VARCHAR, surname VARCHAR, forenames VARCHAR, date_of_birth DATE, pnc_id VARCHAR,
    gender VARCHAR, reason VARCHAR, issues VARCHAR[],
    raw_person_id VARCHAR, raw_surname VARCHAR, raw_forenames VARCHAR,
    raw_date_of_birth VARCHAR, raw_gender VARCHAR, raw_pnc_id VARCHAR
)
