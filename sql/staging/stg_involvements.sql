-- Usable involvements. An incident's involvements come from the newest extract that lists any
-- for it (a newer extract's list of who was involved replaces the older list whole).
CREATE OR REPLACE VIEW stg_involvements AS
SELECT *, extract_seq = max(extract_seq) OVER (PARTITION BY incident_id) AS is_current
FROM stg_involvements_checked
WHERE reason IS NULL
