-- The identity part of the run manifest: the model used (hash, source) and the links by basis.
SELECT
    (SELECT sha256 FROM identity_model) AS model_sha256,
    (SELECT source FROM identity_model) AS model_source,
    (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'pnc') AS links_pnc,
    (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'linked') AS links_model,
    (SELECT count(*) FROM identity_links WHERE status = 'accepted' AND basis = 'analyst') AS links_analyst,
    (SELECT count(*) FROM identity_links WHERE status = 'cut') AS links_cut,
    (SELECT count(*) FROM identity_decisions_checked) AS decision_rows,
    (SELECT count(*) FROM identity_decisions) AS decisions_used,
    (SELECT count(*) FROM identity_decisions_checked WHERE reason IS NOT NULL) AS decisions_quarantined,
    (SELECT count(*) FROM identity_review_pairs) AS review_queue
