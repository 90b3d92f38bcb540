-- Usable persons (nominals) from every extract; `is_current` marks the newest extract's version.
CREATE OR REPLACE VIEW stg_persons AS
SELECT *, extract_seq = max(extract_seq) OVER (PARTITION BY person_id) AS is_current
FROM stg_persons_checked
WHERE reason IS NULL
