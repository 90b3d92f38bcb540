-- An identifier: surrounding spaces ignored, blank -> NULL.
CREATE OR REPLACE MACRO extract_id(x) AS (nullif(trim(x), ''))
