-- Every raw incident row, parsed, with the first reason it cannot be used (NULL = usable).
-- Bad optional values do not quarantine the row: they become unknown and are listed in `issues`.
CREATE OR REPLACE TABLE stg_incidents_checked AS
WITH numbered AS (
    SELECT r.*, f.extract_seq, r.rowid - f.first_rowid + 1 AS k
    FROM raw_incidents r JOIN raw_files f USING (file_id)
),
positioned AS (
    SELECT n.*, n.k + coalesce(g.gaps_so_far, 0) AS source_row
    FROM numbered n ASOF LEFT JOIN stg_row_gaps g ON n.file_id = g.file_id AND n.k > g.good_before
),
parsed AS (
    SELECT
        file_id, extract_seq, source_row,
        extract_id(incident_id) AS incident_id,
        extract_date(occurred_date) AS occurred_date,
        extract_enum(record_type) AS record_type,
        upper(extract_id(offence_code)) AS offence_code,
        coalesce(extract_enum(dash_risk), 'not_assessed') AS dash_risk_text,
        extract_enum(domestic_abuse_flag) AS da_flag_text,
        extract_id(occurred_date) IS NULL AS occurred_date_blank,
        incident_id AS raw_incident_id, occurred_date AS raw_occurred_date,
        record_type AS raw_record_type, offence_code AS raw_offence_code,
        dash_risk AS raw_dash_risk, domestic_abuse_flag AS raw_domestic_abuse_flag
    FROM positioned
),
typed AS (
    SELECT *,
        CASE WHEN dash_risk_text IN ('standard', 'medium', 'high', 'not_assessed')
             THEN dash_risk_text ELSE 'unknown' END AS dash_risk,
        CASE WHEN da_flag_text IS NULL THEN true
             WHEN da_flag_text IN ('true', 't', 'yes', 'y', '1') THEN true
             WHEN da_flag_text IN ('false', 'f', 'no', 'n', '0') THEN false
        END AS domestic_abuse_flag,
        CASE
            WHEN incident_id IS NULL THEN 'missing_incident_id'
            WHEN occurred_date_blank THEN 'missing_occurred_date'
            WHEN occurred_date IS NULL THEN 'unparseable_occurred_date'
            WHEN record_type IS NULL THEN 'missing_record_type'
            WHEN record_type NOT IN ('crime', 'non_crime') THEN 'unknown_record_type'
        END AS row_reason
    FROM parsed
)
SELECT
    file_id, extract_seq, source_row, incident_id, occurred_date, record_type,
    offence_code, dash_risk, domestic_abuse_flag,
    list_filter([
        CASE WHEN dash_risk = 'unknown' THEN 'dash_risk_invalid' END,
        CASE WHEN domestic_abuse_flag IS NULL THEN 'domestic_abuse_flag_invalid' END
    ], lambda x: x IS NOT NULL) AS issues,
    coalesce(
        row_reason,
        -- two different rows with the same id in one file: none of them can be trusted
        CASE WHEN count(*) OVER same_id > count(*) OVER same_content THEN 'duplicate_incident_id'
             -- an exact copy of an earlier row: the first copy is kept
             WHEN row_number() OVER (same_id ORDER BY source_row) > 1 THEN 'duplicate_row' END
    ) AS reason,
    raw_incident_id, raw_occurred_date, raw_record_type, raw_offence_code,
    raw_dash_risk, raw_domestic_abuse_flag
FROM typed
WINDOW
    same_id AS (PARTITION BY file_id, row_reason IS NULL, incident_id),
    same_content AS (PARTITION BY file_id, row_reason IS NULL, incident_id, occurred_date,
                     record_type, offence_code, dash_risk, domestic_abuse_flag)
