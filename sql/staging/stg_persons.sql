-- Usable persons (nominals) from every extract; `is_current` marks the newest extract's version.
CREATE OR REPLACE VIEW stg_persons AS
SELECT * EXCLUDE (reason) FROM stg_persons_checked WHERE reason IS NULL
