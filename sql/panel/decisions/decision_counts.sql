SELECT count(*) AS rows_read,
       count(*) FILTER (WHERE reason IS NULL) AS rows_used,
       count(*) FILTER (WHERE reason IS NOT NULL) AS rows_quarantined,
       count(*) FILTER (WHERE reason IS NULL AND discharged_on IS NULL) AS open_adoptions
FROM panel_decisions_checked
