-- An enum value as the contract spells it: case and surrounding spaces ignored,
-- inner spaces or hyphens read as underscores ('Non-Crime' -> 'non_crime'). Blank -> NULL.
-- (The regular expression only runs on the rare values that need it.)
CREATE OR REPLACE MACRO extract_enum(x) AS (
    nullif(
        CASE WHEN contains(trim(x), ' ') OR contains(x, '-') OR contains(x, chr(9))
             THEN regexp_replace(lower(trim(x)), '[\s\-]+', '_', 'g')
             ELSE lower(trim(x)) END,
        '')
)
