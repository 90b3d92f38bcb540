SELECT count(*) AS nominals,
       -- a person of n nominal records has n rows, each with nominal_records = n
       (SELECT sum(n) FROM (SELECT count(*) // nominal_records AS n FROM int_person_identity
                            GROUP BY nominal_records)) AS persons,
       count(*) FILTER (WHERE person_id <> resolved_person_id) AS nominals_merged,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'pnc') AS links_pnc,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'linked') AS links_model,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'analyst') AS links_analyst,
       (SELECT count(*) FROM identity_links WHERE status = 'cut') AS links_cut,
       (SELECT count(*) FROM identity_review_pairs) AS review_queue,
       (SELECT max(nominal_records) FROM int_person_identity) AS largest_person
FROM int_person_identity
