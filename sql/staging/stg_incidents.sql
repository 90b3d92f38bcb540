-- Usable incidents from every extract; `is_current` marks the version from the newest extract.
CREATE OR REPLACE VIEW stg_incidents AS
SELECT * EXCLUDE (reason) FROM stg_incidents_checked WHERE reason IS NULL
