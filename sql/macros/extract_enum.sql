-- An enum value as the contract spells it: case and surrounding spaces ignored,
-- inner spaces or hyphens read as underscores ('Non-Crime' -> 'non_crime'). Blank -> NULL.
CREATE OR REPLACE MACRO extract_enum(x) AS (
    nullif(regexp_replace(lower(trim(x)), '[\s\-]+', '_', 'g'), '')
)
