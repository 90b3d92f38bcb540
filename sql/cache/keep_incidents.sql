-- Parse and check the incident rows of the files read in this run and keep them: every row with
-- the first reason it cannot be used (NULL = usable) as far as its own file tells, and its
-- values as read (raw_*). A file's result depends only on its bytes, so a file read before is
-- not read again (pipeline/ingest/cache.py). Bad optional values do not quarantine the row:
-- they become unknown and are listed in `issues`.
-- (Row positions and duplicates: the macros stg_positioned and stg_deduplicated. raw hands the
-- rowid to the macro; not materialized: it is read twice, the second read empty without
-- rejected CSV rows. typed is materialized so that the parsing runs once per row, not once per
-- reader.)
INSERT INTO cache_incidents BY NAME
WITH raw AS NOT MATERIALIZED (
    SELECT rowid AS raw_rowid, *, COLUMNS(* EXCLUDE (file_id)) AS 'raw_\0' FROM raw_incidents
),
parsed AS (
    SELECT
        file_id, source_row, COLUMNS('^raw_'),
        extract_id(incident_id) AS incident_id,
        extract_date(occurred_date) AS occurred_date,
        extract_id(occurred_date) IS NULL AS occurred_date_blank,
        extract_enum(record_type) AS record_type,
        upper(extract_id(offence_code)) AS offence_code,
        coalesce(extract_enum(dash_risk), 'not_assessed') AS dash_risk_text,
        extract_enum(domestic_abuse_flag) AS da_flag_text,
        -- the optional area (panels meet per area): spaces trimmed, blank = 'unknown'
        coalesce(extract_id(area), 'unknown') AS area
    FROM stg_positioned('raw', 'stg_row_gaps')
),
typed AS MATERIALIZED (
    SELECT * EXCLUDE (dash_risk_text, da_flag_text, occurred_date_blank),
        CASE WHEN dash_risk_text IN ('standard', 'medium', 'high', 'not_assessed')
             THEN dash_risk_text ELSE 'unknown' END AS dash_risk,
        CASE WHEN da_flag_text IS NULL THEN true
             WHEN da_flag_text IN ('true', 't', 'yes', 'y', '1') THEN true
             WHEN da_flag_text IN ('false', 'f', 'no', 'n', '0') THEN false
        END AS domestic_abuse_flag,
        CASE
            WHEN incident_id IS NULL THEN 'missing_incident_id'
            WHEN invalid_id(incident_id) THEN 'invalid_id'
            WHEN occurred_date_blank THEN 'missing_occurred_date'
            WHEN occurred_date IS NULL THEN 'unparseable_occurred_date'
            WHEN record_type IS NULL THEN 'missing_record_type'
            WHEN record_type NOT IN ('crime', 'non_crime') THEN 'unknown_record_type'
        END AS row_reason
    FROM parsed
)
SELECT
    f.file_key, d.* EXCLUDE (file_id, raw_rowid, row_reason),
    list_filter([
        CASE WHEN d.dash_risk = 'unknown' THEN 'dash_risk_invalid' END,
        CASE WHEN d.domestic_abuse_flag IS NULL THEN 'domestic_abuse_flag_invalid' END
    ], lambda x: x IS NOT NULL) AS issues
FROM stg_deduplicated(
    'typed', ['incident_id'],
    ['occurred_date', 'record_type', 'offence_code', 'dash_risk', 'domestic_abuse_flag', 'area'],
    'duplicate_incident_id'
) d
JOIN raw_files f USING (file_id)
