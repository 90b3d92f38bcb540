-- Append the contract columns of one file (registered as `source`) to raw_incidents.
-- Missing optional columns become NULL; extra columns are left out.
INSERT INTO raw_incidents BY NAME
SELECT $file_id AS file_id, COLUMNS(lambda c: list_contains($keep, c))
FROM source
