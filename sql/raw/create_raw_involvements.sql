CREATE OR REPLACE TABLE raw_involvements (
    file_id INTEGER, incident_id VARCHAR, person_id VARCHAR, role VARCHAR, relationship VARCHAR
)
