-- Every raw incident row, parsed, with the first reason it cannot be used (NULL = usable) and,
-- for usable rows, whether it is the current version (from the newest extract holding the id).
-- Bad optional values do not quarantine the row: they become unknown and are listed in `issues`.
CREATE OR REPLACE TABLE stg_incidents_checked AS
-- (numbered is read twice but not materialized: without rejected CSV rows the second read is
-- empty; typed is materialized so that the parsing runs once per row, not once per reader.)
WITH numbered AS NOT MATERIALIZED (
    SELECT r.*, r.rowid AS raw_rowid, f.extract_seq, r.rowid - f.first_rowid + 1 AS k,
           f.rows_read > f.raw_rows AS has_gaps
    FROM raw_incidents r JOIN raw_files f USING (file_id)
),
positioned AS (
    -- source row = position in the file; rows the CSV reader rejected shift the rows after them
    SELECT * EXCLUDE (has_gaps), k AS source_row FROM numbered WHERE NOT has_gaps
    UNION ALL
    SELECT n.* EXCLUDE (has_gaps), n.k + coalesce(g.gaps_so_far, 0)
    FROM numbered n ASOF LEFT JOIN stg_row_gaps g ON n.file_id = g.file_id AND n.k > g.good_before
    WHERE n.has_gaps
),
parsed AS (
    SELECT
        file_id, extract_seq, source_row, raw_rowid,
        extract_id(incident_id) AS incident_id,
        extract_date(occurred_date) AS occurred_date,
        extract_id(occurred_date) IS NULL AS occurred_date_blank,
        extract_enum(record_type) AS record_type,
        upper(extract_id(offence_code)) AS offence_code,
        coalesce(extract_enum(dash_risk), 'not_assessed') AS dash_risk_text,
        extract_enum(domestic_abuse_flag) AS da_flag_text,
        -- the optional area (panels meet per area): spaces trimmed, blank = 'unknown'
        coalesce(extract_id(area), 'unknown') AS area
    FROM positioned
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
            WHEN occurred_date_blank THEN 'missing_occurred_date'
            WHEN occurred_date IS NULL THEN 'unparseable_occurred_date'
            WHEN record_type IS NULL THEN 'missing_record_type'
            WHEN record_type NOT IN ('crime', 'non_crime') THEN 'unknown_record_type'
        END AS row_reason
    FROM parsed
),
-- Ids seen more than once in a file: found by a cheap integer grouping, then checked exactly.
repeated_keys AS (
    SELECT hash(file_id, incident_id) AS key_hash
    FROM typed WHERE row_reason IS NULL
    GROUP BY key_hash HAVING count(*) > 1
),
repeated AS (
    SELECT t.file_id, t.incident_id,
           count(DISTINCT (t.occurred_date, t.record_type, t.offence_code, t.dash_risk,
                           t.domestic_abuse_flag, t.area)) AS versions,
           min(t.source_row) AS first_row
    FROM typed t
    WHERE t.row_reason IS NULL AND hash(t.file_id, t.incident_id) IN (SELECT key_hash FROM repeated_keys)
    GROUP BY t.file_id, t.incident_id
    HAVING count(*) > 1
),
reasoned AS (
    SELECT t.* EXCLUDE (row_reason),
        coalesce(
            t.row_reason,
            -- two different rows with the same id in one file: none of them can be trusted
            CASE WHEN d.versions > 1 THEN 'duplicate_incident_id'
                 -- an exact copy of an earlier row: the first copy is kept
                 WHEN d.first_row < t.source_row THEN 'duplicate_row' END
        ) AS reason
    FROM typed t
    LEFT JOIN repeated d ON t.row_reason IS NULL AND d.file_id = t.file_id AND d.incident_id = t.incident_id
),
-- Ids held by more than one extract: the newest extract's version is current.
superseded AS (
    SELECT incident_id, max(extract_seq) AS latest_seq
    FROM reasoned WHERE reason IS NULL
    GROUP BY incident_id HAVING min(extract_seq) < max(extract_seq)
)
SELECT
    r.*,
    CASE WHEN r.reason IS NULL THEN s.latest_seq IS NULL OR r.extract_seq = s.latest_seq END AS is_current,
    list_filter([
        CASE WHEN r.dash_risk = 'unknown' THEN 'dash_risk_invalid' END,
        CASE WHEN r.domestic_abuse_flag IS NULL THEN 'domestic_abuse_flag_invalid' END
    ], lambda x: x IS NOT NULL) AS issues
FROM reasoned r
LEFT JOIN superseded s ON r.reason IS NULL AND s.incident_id = r.incident_id
