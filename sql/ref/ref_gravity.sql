-- The gravity table (a force may point scoring.gravity_table at its own file).
CREATE OR REPLACE TABLE ref_gravity AS
SELECT
    upper(trim(offence_code)) AS offence_code,
    trim(description) AS description,
    try_cast(trim(weight) AS DOUBLE) AS weight,
    trim(source) AS source,
    trim(weight) AS weight_text
FROM read_csv(
    $path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'offence_code': 'VARCHAR', 'description': 'VARCHAR', 'weight': 'VARCHAR', 'source': 'VARCHAR'}
)
