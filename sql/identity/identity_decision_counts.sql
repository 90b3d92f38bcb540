SELECT count(*) AS decision_rows,
       count(*) FILTER (WHERE reason IS NULL AND NOT superseded) AS decisions_used,
       count(*) FILTER (WHERE reason IS NULL AND superseded) AS decisions_superseded,
       count(*) FILTER (WHERE reason IS NOT NULL) AS decisions_quarantined,
       (SELECT count(*) FROM identity_links WHERE basis = 'analyst' AND status = 'cut') AS decisions_cut
FROM identity_decisions_checked
