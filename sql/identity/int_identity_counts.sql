SELECT count(*) AS nominals,
       count(*) FILTER (WHERE person_id <> resolved_person_id) AS nominals_merged,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'pnc') AS links_pnc,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'linked') AS links_model,
       (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'analyst') AS links_analyst,
       (SELECT count(*) FROM identity_links WHERE status = 'cut') AS links_cut,
       (SELECT count(*) FROM identity_review_pairs) AS review_queue,
       (SELECT max(nominal_records) FROM int_person_identity) AS largest_person
FROM int_person_identity
