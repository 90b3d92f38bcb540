-- Every incident row of every kept file, parsed and checked within its file (reason NULL =
-- usable on its own), with its values as read (raw_*). See sql/cache/keep_incidents.sql.
CREATE TABLE IF NOT EXISTS cache_incidents (
    file_key VARCHAR, source_row BIGINT,
    incident_id VARCHAR, occurred_date DATE, record_type VARCHAR, offence_code VARCHAR,
    dash_risk VARCHAR, domestic_abuse_flag BOOLEAN, area VARCHAR, reason VARCHAR, issues VARCHAR[],
    raw_incident_id VARCHAR, raw_occurred_date VARCHAR, raw_record_type VARCHAR,
    raw_offence_code VARCHAR, raw_dash_risk VARCHAR, raw_domestic_abuse_flag VARCHAR, raw_area VARCHAR
)
