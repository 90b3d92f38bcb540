-- Usable involvements; `is_current` marks those from the newest extract listing the incident.
CREATE OR REPLACE VIEW stg_involvements AS
SELECT * EXCLUDE (reason) FROM stg_involvements_checked WHERE reason IS NULL
