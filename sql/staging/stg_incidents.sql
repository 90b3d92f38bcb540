-- Usable incidents from every extract; `is_current` marks the version from the newest extract.
CREATE OR REPLACE VIEW stg_incidents AS
SELECT *, extract_seq = max(extract_seq) OVER (PARTITION BY incident_id) AS is_current
FROM stg_incidents_checked
WHERE reason IS NULL
