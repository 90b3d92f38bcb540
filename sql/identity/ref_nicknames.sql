-- Forename variants (name, nickname) from identity.nicknames: Robert/Bob, Elizabeth/Beth.
CREATE OR REPLACE TABLE ref_nicknames AS
SELECT DISTINCT lower(trim(name)) AS name, lower(trim(nickname)) AS nickname
FROM read_csv(
    $nicknames_path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'name': 'VARCHAR', 'nickname': 'VARCHAR'}
)
WHERE nullif(trim(name), '') IS NOT NULL AND nullif(trim(nickname), '') IS NOT NULL
