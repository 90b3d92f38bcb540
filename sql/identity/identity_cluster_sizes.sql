-- How many persons hold 1, 2, 3 ... nominal records.
SELECT nominal_records::VARCHAR AS nominals, count(DISTINCT resolved_person_id) AS persons
FROM int_person_identity
GROUP BY nominal_records
ORDER BY nominal_records
