-- How many persons hold 1, 2, 3 ... nominal records (their sum is the persons of the identity
-- counts, pipeline/identity/counts.py): a person of n records has n rows, each
-- with nominal_records = n (counting rows is 3x faster than counting distinct ids at 3M).
SELECT nominal_records::VARCHAR AS nominals, count(*) // nominal_records AS persons
FROM int_person_identity
GROUP BY nominal_records
ORDER BY nominal_records
