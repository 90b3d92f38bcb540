CREATE OR REPLACE TABLE raw_incidents (
    file_id INTEGER, incident_id VARCHAR, occurred_date VARCHAR, record_type VARCHAR,
    offence_code VARCHAR, dash_risk VARCHAR, domestic_abuse_flag VARCHAR,
    area VARCHAR
)
