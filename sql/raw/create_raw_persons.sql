CREATE OR REPLACE TABLE raw_persons (
    file_id INTEGER, person_id VARCHAR, surname VARCHAR, forenames VARCHAR,
    date_of_birth VARCHAR, gender VARCHAR, pnc_id VARCHAR
)
