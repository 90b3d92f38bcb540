SELECT count(*) AS nominals,
       count(DISTINCT resolved_person_id) AS persons,
       count(*) FILTER (WHERE person_id <> resolved_person_id) AS nominals_merged
FROM int_person_identity
